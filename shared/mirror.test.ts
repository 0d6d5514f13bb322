import { describe, expect, it } from 'vitest';
import { MirrorBase, resolveDownloadUrl } from './mirror.js';

describe('mirror', () => {
  it('keeps the official URL when no mirror is set', () => {
    expect(resolveDownloadUrl('https://get.helm.sh/helm-v3.19.0-linux-amd64.tar.gz')).toBe('https://get.helm.sh/helm-v3.19.0-linux-amd64.tar.gz');
  });
  it('maps an official URL onto a file:// mirror as host/path', () => {
    expect(resolveDownloadUrl('https://github.com/a/b/releases/download/v1/x.yaml', 'file:///srv/mirror/')).toBe('file:///srv/mirror/github.com/a/b/releases/download/v1/x.yaml');
  });
  it('accepts https, http and file bases and refuses others', () => {
    expect(MirrorBase.safeParse('https://m.example/x').success).toBe(true);
    expect(MirrorBase.safeParse('http://127.0.0.1:8080').success).toBe(true);
    expect(MirrorBase.safeParse('file:///tmp/m').success).toBe(true);
    expect(MirrorBase.safeParse('ftp://m.example').success).toBe(false);
    expect(MirrorBase.safeParse('/tmp/m').success).toBe(false);
  });
});
