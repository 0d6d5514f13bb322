// Inline SVG icons (no icon font, nothing loaded from the network). Decorative: aria-hidden; the text
// next to them carries the meaning.
import type { ReactElement } from 'react';

type IconProps = { size?: number; className?: string };

const Svg = ({ size = 20, className, children }: IconProps & { children: ReactElement | ReactElement[] }) => (
  <svg className={className} width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    {children}
  </svg>
);

export const CheckCircle = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="9.5" /><path d="m8 12.5 2.7 2.7L16.2 9.5" /></Svg>;
export const AlertTriangle = (p: IconProps) => <Svg {...p}><path d="M10.3 3.9 2.4 17.6A2 2 0 0 0 4.1 20.6h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" /><path d="M12 9.5v4.2" /><path d="M12 17.2h.01" /></Svg>;
export const XCircle = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="9.5" /><path d="m15 9-6 6" /><path d="m9 9 6 6" /></Svg>;
export const Refresh = (p: IconProps) => <Svg {...p}><path d="M20.5 12a8.5 8.5 0 0 1-14.9 5.6" /><path d="M3.5 12A8.5 8.5 0 0 1 18.4 6.4" /><path d="M18.5 2.5v4h-4" /><path d="M5.5 21.5v-4h4" /></Svg>;
export const ArrowRight = (p: IconProps) => <Svg {...p}><path d="M5 12h14" /><path d="m13 6 6 6-6 6" /></Svg>;
export const ArrowLeft = (p: IconProps) => <Svg {...p}><path d="M19 12H5" /><path d="m11 18-6-6 6-6" /></Svg>;
export const Sun = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></Svg>;
export const Moon = (p: IconProps) => <Svg {...p}><path d="M20.5 14.1A8.5 8.5 0 1 1 9.9 3.5a6.6 6.6 0 0 0 10.6 10.6Z" /></Svg>;
export const Monitor = (p: IconProps) => <Svg {...p}><rect x="2.5" y="4" width="19" height="13" rx="2" /><path d="M8 21h8M12 17v4" /></Svg>;
export const Lock = (p: IconProps) => <Svg {...p}><rect x="4.5" y="10.5" width="15" height="10" rx="2" /><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" /></Svg>;
export const Cpu = (p: IconProps) => <Svg {...p}><rect x="6" y="6" width="12" height="12" rx="2" /><path d="M9.5 9.5h5v5h-5zM9 2.5V6M15 2.5V6M9 18v3.5M15 18v3.5M2.5 9H6M2.5 15H6M18 9h3.5M18 15h3.5" /></Svg>;
export const Memory = (p: IconProps) => <Svg {...p}><rect x="2.5" y="7" width="19" height="10" rx="1.5" /><path d="M6.5 10.5v3M10.5 10.5v3M14.5 10.5v3M18 17v2.5M6 17v2.5" /></Svg>;
export const Disk = (p: IconProps) => <Svg {...p}><ellipse cx="12" cy="6" rx="8" ry="3" /><path d="M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6" /><path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" /></Svg>;
export const Chip = (p: IconProps) => <Svg {...p}><rect x="3" y="6" width="18" height="12" rx="2" /><circle cx="9" cy="12" r="2.5" /><path d="M14.5 10h3M14.5 14h3" /></Svg>;
export const Box = (p: IconProps) => <Svg {...p}><path d="M21 8 12 3 3 8v8l9 5 9-5Z" /><path d="m3 8 9 5 9-5M12 13v8" /></Svg>;
export const Laptop = (p: IconProps) => <Svg {...p}><rect x="4" y="4.5" width="16" height="11" rx="1.5" /><path d="M2 19.5h20" /></Svg>;
export const Layers = (p: IconProps) => <Svg {...p}><path d="m12 3 9 5-9 5-9-5Z" /><path d="m3 13 9 5 9-5" /></Svg>;
export const Message = (p: IconProps) => <Svg {...p}><path d="M20.5 14.5a2 2 0 0 1-2 2H8l-4.5 4V5.5a2 2 0 0 1 2-2h13a2 2 0 0 1 2 2Z" /></Svg>;
export const ListChecks = (p: IconProps) => <Svg {...p}><path d="m3.5 6 1.8 1.8L8.5 4.5M3.5 13l1.8 1.8 3.2-3.3M12 6.5h8.5M12 13h8.5M12 19.5h8.5" /></Svg>;
export const Trash = (p: IconProps) => <Svg {...p}><path d="M4 7h16M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13" /></Svg>;
export const Copy = (p: IconProps) => <Svg {...p}><rect x="8.5" y="8.5" width="12" height="12" rx="2" /><path d="M15.5 8.5V5.5a2 2 0 0 0-2-2h-8a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h3" /></Svg>;
export const Search = (p: IconProps) => <Svg {...p}><circle cx="11" cy="11" r="7" /><path d="m20.5 20.5-4.5-4.5" /></Svg>;
export const X = (p: IconProps) => <Svg {...p}><path d="M18 6 6 18M6 6l12 12" /></Svg>;
export const Download = (p: IconProps) => <Svg {...p}><path d="M12 3.5v12M7 10.5l5 5 5-5M4.5 20.5h15" /></Svg>;
export const Play = (p: IconProps) => <Svg {...p}><path d="M7 4.5v15l12-7.5Z" /></Svg>;
export const Stop = (p: IconProps) => <Svg {...p}><rect x="6" y="6" width="12" height="12" rx="1.5" /></Svg>;
export const Clock = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="9.5" /><path d="M12 7v5l3 2" /></Svg>;
export const Circle = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="9" /></Svg>;
export const SkipForward = (p: IconProps) => <Svg {...p}><path d="m5 5 9 7-9 7Z" /><path d="M18 5v14" /></Svg>;
export const MinusCircle = (p: IconProps) => <Svg {...p}><circle cx="12" cy="12" r="9.5" /><path d="M8 12h8" /></Svg>;
export const Shield = (p: IconProps) => <Svg {...p}><path d="M12 2.5 4.5 5.5v6c0 4.7 3.2 8.6 7.5 10 4.3-1.4 7.5-5.3 7.5-10v-6Z" /></Svg>;
export const External = (p: IconProps) => <Svg {...p}><path d="M14 4.5h5.5V10M19.5 4.5 11 13M17 14v4.5a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V9.5a2 2 0 0 1 2-2h4.5" /></Svg>;
export const Folder = (p: IconProps) => <Svg {...p}><path d="M3.5 6.5a2 2 0 0 1 2-2h4l2 2.5h7a2 2 0 0 1 2 2v8.5a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2Z" /></Svg>;
export const ChevronDown = (p: IconProps) => <Svg {...p}><path d="m6 9 6 6 6-6" /></Svg>;
export const Send = (p: IconProps) => <Svg {...p}><path d="M4 12 20 4l-5 16-3-7Z" /><path d="m12 13 8-9" /></Svg>;
export const Regenerate = (p: IconProps) => <Svg {...p}><path d="M20.5 12a8.5 8.5 0 1 1-2.5-6" /><path d="M20.5 3.5v5h-5" /></Svg>;
export const Plug = (p: IconProps) => <Svg {...p}><path d="M9 2.5v5M15 2.5v5M6.5 7.5h11v4a5.5 5.5 0 0 1-11 0Z" /><path d="M12 17v4.5" /></Svg>;
