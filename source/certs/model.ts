/** A TLS endpoint and the certificate it serves. */
export interface Certificate {
  env: string;
  domain: string;
  endpoint: string; // host:port probed
  issuer?: string;
  notAfter?: Date;
  valid: boolean;
  problem?: string;
  renewal: 'acme' | 'certbot' | 'manual';
}
