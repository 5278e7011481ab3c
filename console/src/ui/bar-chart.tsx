// A bar chart in SVG attributes only (no inline styles, which the CSP forbids), one bar per label.
export function BarChart({ data, label }: { data: Array<{ label: string; value: number }>; label: string }) {
  const width = 640;
  const height = 180;
  const max = Math.max(1, ...data.map((d) => d.value));
  const slot = width / Math.max(1, data.length);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height + 30}`} role="img" aria-label={`${label} per day`}>
      {data.map((d, i) => {
        const h = Math.round((d.value / max) * height);
        return (
          <g key={d.label}>
            <rect x={i * slot + slot * 0.15} y={height - h} width={slot * 0.7} height={h} fill="#3b6fd8">
              <title>{`${d.label}: ${d.value} ${label}`}</title>
            </rect>
            <text x={i * slot + slot / 2} y={height + 14} font-size="11" text-anchor="middle" fill="#555">
              {d.label.slice(5)}
            </text>
            <text x={i * slot + slot / 2} y={Math.max(12, height - h - 4)} font-size="11" text-anchor="middle" fill="#222">
              {String(d.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
