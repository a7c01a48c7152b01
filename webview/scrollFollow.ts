// Scroll-follow for the conversation: the log follows the stream to its end unless the user scrolled up; then a
// "Jump to latest" button brings it back.
export class ScrollFollow {
  /** Whether new content scrolls the log to its end. */
  follow = true;
  private lastAutoScrollTop = -1;

  constructor(private readonly log: HTMLElement, private readonly jumpButton: HTMLButtonElement) {
    log.addEventListener('scroll', () => {
      if (this.distanceFromEnd() < 24) this.follow = true;
      else if (log.scrollTop !== this.lastAutoScrollTop) this.follow = false;
      this.updateJump();
    });
    log.addEventListener('wheel', (e) => {
      if (e.deltaY < 0 && log.scrollHeight > log.clientHeight) this.follow = false;
    });
    jumpButton.addEventListener('click', () => {
      this.follow = true;
      this.toEnd();
    });
  }

  toEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.lastAutoScrollTop = this.log.scrollTop;
    this.updateJump();
  }

  /** The content changed: follow it to the end, or show the jump button. */
  contentChanged(): void {
    if (this.follow) this.toEnd();
    else this.updateJump();
  }

  private distanceFromEnd(): number {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight;
  }

  private updateJump(): void {
    this.jumpButton.hidden = this.follow || this.distanceFromEnd() < 24;
  }
}
