import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, appFileFor, CSP, isAllowedNavigation, isAllowedSender, isSafeExternalUrl, webPreferencesFor } from './security.js';

describe('Electron shell security decisions', () => {
  it('isolates and sandboxes the renderer with no Node', () => {
    expect(webPreferencesFor('/p.cjs')).toMatchObject({ preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

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
});
