// Python's secure-token writes `datetime.now().isoformat()`: a naive local time, microseconds
// omitted when zero. We write the same text and read it back only for lifetimes and fractions.

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/;

/** Formats epoch milliseconds as Python's naive `isoformat()` in the process zone or in `timeZone`. */
export class NaiveTimeFormatter {
  private readonly zoneFormat: Intl.DateTimeFormat | null;
  // Two slots: generateToken formats an issue time and an expiry time, each stable per second.
  private readonly cachedSecond = [Number.NaN, Number.NaN];
  private readonly cachedText = ['', ''];

  constructor(timeZone?: string) {
    this.zoneFormat = timeZone
      ? new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        })
      : null;
  }

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    const slot = this.cachedSecond[0] === second ? 0 : this.cachedSecond[1] === second ? 1 : -1;
    let text: string;
    if (slot >= 0) {
      text = this.cachedText[slot] as string;
    } else {
      text = this.formatSecond(second * 1000);
      // Evict the older slot: issue and expiry times alternate.
      this.cachedSecond[1] = this.cachedSecond[0] as number;
      this.cachedText[1] = this.cachedText[0] as string;
      this.cachedSecond[0] = second;
      this.cachedText[0] = text;
    }
    const millis = epochMs - second * 1000;
    return millis === 0 ? text : `${text}.${String(Math.floor(millis * 1000)).padStart(6, '0')}`;
  }

  private formatSecond(epochMs: number): string {
    if (this.zoneFormat) {
      const parts: Record<string, string> = {};
      for (const { type, value } of this.zoneFormat.formatToParts(epochMs)) parts[type] = value;
      return `${pad(Number(parts.year), 4)}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
    }
    const date = new Date(epochMs);
    return (
      `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}` +
      `T${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}`
    );
  }
}

/** A naive ISO time read as if it were UTC (or with its offset, if it has one): only differences matter. */
export function parseNaiveTime(text: string): number | null {
  const match = NAIVE.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const micros = Number(fraction.padEnd(6, '0'));
  const base = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(base) || Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return null;
  }
  const offset = !zone || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4))) * 60_000;
  return base - offset + micros / 1000;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
