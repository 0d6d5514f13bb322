import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, appFileFor, appRealFileFor, CSP, isAllowedNavigation, isAllowedSender, isSafeExternalUrl } from './security.js';

describe('Electron shell security decisions', () => {
  it('has a CSP without unsafe sources, scripts from self only', () => {
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe|\*/);
  });

  it('accepts IPC only from app://renderer, compared by parsed URL', () => {
    expect(isAllowedSender(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedSender('app://renderer/index.html#/system-check')).toBe(true);
    expect(isAllowedSender('app://renderer.evil/index.html')).toBe(false);
    expect(isAllowedSender('app://evil/index.html')).toBe(false);
    expect(isAllowedSender('https://renderer/')).toBe(false);
    expect(isAllowedSender('file:///etc/passwd')).toBe(false);
    expect(isAllowedSender(null)).toBe(false);
    expect(isAllowedSender('not a url')).toBe(false);
  });

  it('denies navigation away from the app', () => {
    expect(isAllowedNavigation('app://renderer/index.html')).toBe(true);
    expect(isAllowedNavigation('https://llm-d.ai/')).toBe(false);
    expect(isAllowedNavigation('file:///')).toBe(false);
  });

  it('opens only plain http(s) links externally', () => {
    expect(isSafeExternalUrl('https://llm-d.ai/docs')).toBe(true);
    expect(isSafeExternalUrl('http://127.0.0.1:3000/')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@host/')).toBe(false);
    expect(isSafeExternalUrl('nonsense')).toBe(false);
  });

  it('serves only files inside the renderer dir', () => {
    expect(appFileFor('/out/renderer', 'app://renderer/')).toBe('/out/renderer/index.html');
    expect(appFileFor('/out/renderer', 'app://renderer/assets/x.js?v=1')).toBe('/out/renderer/assets/x.js');
    // The URL parser folds %2e%2e segments before we see them; encoded slashes are decoded by us and caught.
    expect(appFileFor('/out/renderer', 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe('/out/renderer/etc/passwd');
    expect(appFileFor('/out/renderer', 'app://renderer/..%2f..%2fetc%2fpasswd')).toBeUndefined();
    expect(appFileFor('/out/renderer', 'app://other/index.html')).toBeUndefined();
  });

  it('follows no symlink out of the renderer dir (the check is on real paths, not only lexical)', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'app-proto-'));
    const renderer = path.join(base, 'renderer');
    const outside = path.join(base, 'outside');
    await fs.mkdir(renderer);
    await fs.mkdir(outside);
    await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html>');
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(renderer, 'leak.txt'));
    await fs.symlink(outside, path.join(renderer, 'leakdir'));
    try {
      const real = await fs.realpath(renderer);
      expect(await appRealFileFor(renderer, 'app://renderer/index.html')).toBe(path.join(real, 'index.html'));
      // Lexically inside, really outside.
      expect(appFileFor(renderer, 'app://renderer/leak.txt')).toBe(path.join(renderer, 'leak.txt'));
      expect(await appRealFileFor(renderer, 'app://renderer/leak.txt')).toBeUndefined();
      expect(await appRealFileFor(renderer, 'app://renderer/leakdir/secret.txt')).toBeUndefined();
      expect(await appRealFileFor(renderer, 'app://renderer/missing.js')).toBeUndefined();
      expect(await appRealFileFor(renderer, 'app://other/index.html')).toBeUndefined();
    } finally {
      await fs.rm(base, { recursive: true });
    }
  });
});
