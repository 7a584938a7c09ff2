// Certificates and the proceedings as the server answers them (docs/protocol.md, "After the event").

// GET /api/certificates/{number}: what a verification number certifies.
export interface Verification {
  number: string;
  valid: boolean;
  event: { id: string; title: string };
  document: string;
  full_name: string;
  institution: string;
  took_part: string[];
  role?: string;
  practices?: { title: string; section: number; section_title: string }[];
  issued_on: string;
}

// GET /api/events/{id}/certificates/mine
export interface MyCertificate {
  number: string;
  title: string;
  took_part: string[];
  issued_at: string;
  url: string;
  verify_url: string;
}
export interface MyCertificates {
  certificates: MyCertificate[];
  proceedings: { url: string } | null;
}
