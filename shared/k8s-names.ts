// Kubernetes object names, validated as the API server validates them (k8s.io/apimachinery
// pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain), so a name the cluster would refuse never
// reaches a URL or a kubectl argument. Issue #14: names were any non-empty string, so `..` went into a
// request path and an unpaired surrogate made encodeURIComponent throw ("URI malformed", INTERNAL).
//
// Which rule a kind of name follows (k8s.io/kubernetes pkg/apis/core/validation):
//   namespace → DNS-1123 label; pod → DNS-1123 subdomain; container → DNS-1123 label.
import { z } from 'zod';

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

// ASCII only by construction, so string length equals the byte length Kubernetes counts.
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const labelRe = new RegExp(`^${LABEL}$`);
const subdomainRe = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

const LABEL_RULE = "lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label, e.g. 'my-name')";
const SUBDOMAIN_RULE = "lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (DNS-1123 subdomain, e.g. 'decode-0.example')";

/** Why value is not a DNS-1123 label; empty when it is one. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length === 0) return ['must not be empty'];
  if (value.length > DNS1123_LABEL_MAX) errors.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!labelRe.test(value)) errors.push(subdomainRe.test(value) ? 'must not contain dots' : `must consist of ${LABEL_RULE}`);
  return errors;
}

/** Why value is not a DNS-1123 subdomain; empty when it is one. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length === 0) return ['must not be empty'];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!subdomainRe.test(value)) errors.push(`must consist of ${SUBDOMAIN_RULE}`);
  return errors;
}

const checked = (rule: (value: string) => string[]) =>
  z.string().superRefine((value, ctx) => {
    for (const message of rule(value)) ctx.addIssue({ code: 'custom', message });
  });

export const Dns1123LabelName = checked(dns1123LabelErrors);
export const Dns1123SubdomainName = checked(dns1123SubdomainErrors);

export const NamespaceName = Dns1123LabelName;
export const PodName = Dns1123SubdomainName;
export const ContainerName = Dns1123LabelName;
