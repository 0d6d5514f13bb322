// A page's heading. It takes focus when the page opens, so keyboard and screen-reader users land on
// the new page instead of staying in the step rail.
import { useEffect, useRef, type ReactNode } from 'react';

export function PageHeader({ eyebrow, title, children }: { eyebrow?: string; title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <header className="page-header">
      {eyebrow && <p className="eyebrow">{eyebrow}</p>}
      <h1 ref={ref} tabIndex={-1}>{title}</h1>
      {children && <p className="lead">{children}</p>}
    </header>
  );
}
