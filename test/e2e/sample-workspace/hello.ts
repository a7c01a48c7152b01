// A tiny file for Parley to talk about.
export function greet(name: string): string {
  return `Hello, ${name}!`;
}

export function add(a: number, b: number): number {
  return a + b;
}

console.log(greet('Parley'), add(2, 3));
