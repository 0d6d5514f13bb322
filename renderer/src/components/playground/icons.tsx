// The Playground's few icons, inline SVG like components/Icons.tsx (decorative: the text next to them
// carries the meaning).
import type { ReactNode } from 'react';

const Svg = ({ size = 16, children }: { size?: number; children: ReactNode }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    {children}
  </svg>
);

type P = { size?: number };
export const SendIcon = (p: P) => <Svg {...p}><path d="M4 12 20 4l-5 16-3-7Z" /><path d="m12 13 8-9" /></Svg>;
export const StopIcon = (p: P) => <Svg {...p}><rect x="6" y="6" width="12" height="12" rx="1.5" /></Svg>;
export const RegenerateIcon = (p: P) => <Svg {...p}><path d="M20.5 12a8.5 8.5 0 1 1-2.5-6" /><path d="M20.5 3.5v5h-5" /></Svg>;
export const CopyIcon = (p: P) => <Svg {...p}><rect x="8.5" y="8.5" width="12" height="12" rx="2" /><path d="M15.5 8.5V5.5a2 2 0 0 0-2-2h-8a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h3" /></Svg>;
export const DownloadIcon = (p: P) => <Svg {...p}><path d="M12 3.5v12M7 10.5l5 5 5-5M4.5 20.5h15" /></Svg>;
export const PlayIcon = (p: P) => <Svg {...p}><path d="M7 4.5v15l12-7.5Z" /></Svg>;
export const PlugIcon = (p: P) => <Svg {...p}><path d="M9 2.5v5M15 2.5v5M6.5 7.5h11v4a5.5 5.5 0 0 1-11 0Z" /><path d="M12 17v4.5" /></Svg>;
