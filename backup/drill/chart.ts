import { DrillResult } from "./run-drill";

const WIDTH = 720;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 60, right: 20, top: 30, bottom: 40 };

/**
 * An SVG chart of write time vs recovery point: each acknowledged write at the time the primary
 * acknowledged it (green if the restore recovered it, red if lost), with the moment the primary
 * died and the recovery point. The lower panel zooms on the last three seconds.
 */
export function renderDrillChart(result: DrillResult): string {
  const acked = result.timeline.filter((point) => point.ackSeconds !== undefined) as Array<{ seq: number; ackSeconds: number; recovered: boolean }>;
  const end = result.killAfterSeconds;
  const recoveryX = acked.filter((point) => point.recovered).at(-1)?.ackSeconds ?? 0;
  const panels = [
    { title: "whole run", from: 0, to: end },
    { title: "last 3 s before the primary died", from: Math.max(0, end - 3), to: end },
  ];
  const parts: string[] = [];
  panels.forEach((panel, index) => {
    const top = index * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom) + MARGIN.top;
    const inPanel = acked.filter((point) => point.ackSeconds >= panel.from && point.ackSeconds <= panel.to);
    const minSeq = inPanel[0]?.seq ?? 0;
    const maxSeq = Math.max(minSeq + 1, inPanel.at(-1)?.seq ?? 1);
    const x = (seconds: number) => MARGIN.left + ((seconds - panel.from) / Math.max(0.001, panel.to - panel.from)) * (WIDTH - MARGIN.left - MARGIN.right);
    const y = (seq: number) => top + PANEL_HEIGHT - ((seq - minSeq) / (maxSeq - minSeq)) * PANEL_HEIGHT;
    parts.push(`<text x="${MARGIN.left}" y="${top - 10}" font-size="13" font-weight="bold">${panel.title}</text>`);
    parts.push(`<rect x="${MARGIN.left}" y="${top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
    for (const point of inPanel) {
      parts.push(`<circle cx="${x(point.ackSeconds).toFixed(1)}" cy="${y(point.seq).toFixed(1)}" r="1.6" fill="${point.recovered ? "#2a9d3c" : "#d62828"}"/>`);
    }
    parts.push(`<line x1="${x(end)}" x2="${x(end)}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="#d62828" stroke-dasharray="4 3"/>`);
    if (recoveryX >= panel.from) parts.push(`<line x1="${x(recoveryX)}" x2="${x(recoveryX)}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="#2a9d3c" stroke-dasharray="2 2"/>`);
    parts.push(`<text x="${MARGIN.left}" y="${top + PANEL_HEIGHT + 16}" font-size="11">${panel.from.toFixed(1)} s</text>`);
    parts.push(`<text x="${WIDTH - MARGIN.right}" y="${top + PANEL_HEIGHT + 16}" font-size="11" text-anchor="end">${panel.to.toFixed(1)} s (primary killed)</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${top + 10}" font-size="11" text-anchor="end">#${maxSeq}</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${top + PANEL_HEIGHT}" font-size="11" text-anchor="end">#${minSeq}</text>`);
  });
  const height = panels.length * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom) + 30;
  const legend = `<text x="${MARGIN.left}" y="${height - 12}" font-size="11">x: time the primary acknowledged the write; y: write number. green = recovered, red = acknowledged but lost; red dashes = primary killed, green dashes = recovery point (RPO ${result.rpoSeconds} s).</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join("\n")}\n${legend}\n</svg>\n`;
}
