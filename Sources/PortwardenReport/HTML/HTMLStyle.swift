import PortwardenCore

/// The inline stylesheet of the HTML report: no external fonts, images or scripts, readable on
/// screen and in print.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; --border: #d4d4d8; --muted: #52525b; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #18181b;
          margin: 0 auto; padding: 24px 32px 48px; max-width: 1400px; background: #fff; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--border); }
        p.lede, p.note { color: var(--muted); margin: 4px 0 12px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
        dl.facts dt { font-weight: 600; color: var(--muted); }
        dl.facts dd { margin: 0; }
        .summary { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
        .verdict { font-weight: 700; font-size: 16px; padding: 8px 12px; border-radius: 6px; display: inline-block; }
        .verdict.fail { background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5; }
        .verdict.below-threshold { background: #dcfce7; color: #166534; border: 1px solid #86efac; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--muted); }
        th, td { border: 1px solid var(--border); padding: 5px 8px; text-align: left; vertical-align: top; }
        th { background: #f4f4f5; font-weight: 600; }
        tbody tr:nth-child(even) { background: #fafafa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .nowrap { white-space: nowrap; }
        code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
        .sev { display: inline-block; min-width: 64px; padding: 1px 6px; border-radius: 4px; font-weight: 600;
          text-align: center; color: #fff; }
        .sev-critical { background: #991b1b; } .sev-high { background: #c2410c; }
        .sev-medium { background: #a16207; } .sev-low { background: #0e7490; } .sev-info { background: #52525b; }
        .status-valid { color: #166534; font-weight: 600; } .status-expiring { color: #a16207; font-weight: 600; }
        .status-expired, .missing { color: #991b1b; font-weight: 600; }
        .status-no-expiry { color: #a16207; font-weight: 600; }
        footer { margin-top: 40px; padding-top: 8px; border-top: 1px solid var(--border); color: var(--muted);
          font-size: 12px; }
        @media print { body { padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
        """
}
