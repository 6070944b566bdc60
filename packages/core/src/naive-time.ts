// Python's secure-token writes `datetime.now().isoformat()`: a naive local time, microseconds
// omitted when zero. We write the same text and read it back only for lifetimes and fractions.

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

/**
 * A naive ISO time read as if it were UTC (or with its offset, if it has one): only differences matter.
 * Accepts `YYYY-MM-DDTHH:MM:SS[.f{1,6}][Z|±HH:MM]`. Parsed by hand: a regex and its captures
 * cost more than the rest of reading a token's times.
 */
export function parseNaiveTime(text: string): number | null {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== T) return null;
  if (text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let at = 19;
  let micros = 0;
  if (at < length && text.charCodeAt(at) === DOT) {
    let scale = 100_000;
    at++;
    const from = at;
    while (at < length && at - from < 6 && isDigit(text.charCodeAt(at))) {
      micros += (text.charCodeAt(at) - ZERO) * scale;
      scale /= 10;
      at++;
    }
    if (at === from) return null;
  }
  let offset = 0;
  if (at < length) {
    const sign = text.charCodeAt(at);
    if (sign === Z && at + 1 === length) {
      at++;
    } else if ((sign === PLUS || sign === MINUS) && at + 6 === length && text.charCodeAt(at + 3) === COLON) {
      const zoneHours = digits(text, at + 1, 2);
      const zoneMinutes = digits(text, at + 4, 2);
      if (zoneHours < 0 || zoneMinutes < 0) return null;
      offset = (sign === MINUS ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
      at += 6;
    }
    if (at !== length) return null;
  }
  const base = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
  return base - offset + micros / 1000;
}

const ZERO = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const T = 0x54;
const Z = 0x5a;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): integer
 * arithmetic, a tenth of Date.UTC's cost, and right for years 1-99 too, which Date.UTC maps to 19xx.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The decimal number in `text[start, start + count)`, or -1 unless all are ASCII digits. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - ZERO;
  }
  return value;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
