/**
 * Secret values read while resolving a manifest. Every text 4dbuild writes (messages, reports, logs, files
 * other than the ones a secret must go into) passes through `redact`, so a secret never leaks by accident.
 */
export class Redactor {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length > 0) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    // Longest first, so a secret that contains another one is masked whole.
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    return sorted.reduce((out, secret) => out.split(secret).join("***"), text);
  }
}
