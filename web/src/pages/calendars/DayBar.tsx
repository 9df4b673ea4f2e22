/** A 24-hour bar: the day's working spans in blue (and, in the due preview, what was counted in green). */
import { Tooltip } from 'antd';
import type { DayHours } from '../../api/calendars';
import { formatHours, MINUTES_PER_DAY, spans } from './hours';

const pct = (minutes: number) => `${(minutes / MINUTES_PER_DAY) * 100}%`;

export function DayBar({ hours, counted, testId, height = 14 }: { hours: DayHours; counted?: DayHours; testId?: string; height?: number }) {
  const working = spans(hours);
  const done = counted ? spans(counted) : [];
  const text = formatHours(hours);
  return (
    <Tooltip title={text || undefined}>
      <div className="pledge-daybar" style={{ height }} data-testid={testId} data-hours={text}>
        {working.map(([s, e]) => (
          <span key={`w${s}`} className="pledge-daybar-span" style={{ left: pct(s), width: pct(e - s) }} />
        ))}
        {done.map(([s, e]) => (
          <span key={`c${s}`} className="pledge-daybar-counted" style={{ left: pct(s), width: pct(e - s) }} />
        ))}
      </div>
    </Tooltip>
  );
}

/** The hour scale drawn above a column of bars. */
export function DayBarScale() {
  return (
    <div className="pledge-daybar-scale" aria-hidden>
      {[0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => (
        <span key={h} style={{ left: pct(h * 60) }}>
          {h}
        </span>
      ))}
    </div>
  );
}
