import type { Chat } from '../protocol';

/** A chat as a Markdown document: title, model settings, then every message with its role. */
export function chatToMarkdown(chat: Chat): string {
  const lines = [`# ${chat.title}`, '', `*Exported from Parley on ${new Date().toISOString().slice(0, 10)} · ${chat.config.provider} / ${chat.config.model}*`, ''];
  if (chat.config.system) lines.push('**System:**', '', quote(chat.config.system), '');
  for (const m of chat.messages) {
    lines.push(m.role === 'user' ? '## You' : `## ${m.model || 'Assistant'}`, '');
    if (m.attachments?.length) lines.push(`*Attachments: ${m.attachments.map((a) => a.source).join(', ')}*`, '');
    if (m.reasoning) lines.push('<details><summary>Reasoning</summary>', '', m.reasoning, '', '</details>', '');
    lines.push(m.text || '*(empty)*', '');
    if (m.citations?.length) {
      const link = (c: { url: string; title?: string }) => `[${(c.title || c.url).replace(/[[\]\\]/g, '\\$&')}](<${c.url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
      lines.push('Sources:', '', ...m.citations.map((c, i) => `${i + 1}. ${link(c)}`), '');
    }
    if (m.note) lines.push(`*(${m.note.text})*`, '');
    if (m.status && m.status !== 'done') lines.push(`*(${m.status}${m.error ? `: ${m.error.message}` : ''})*`, '');
  }
  return lines.join('\n');
}

function quote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}
