// The gallery's wire shapes (docs/protocol.md, "Gallery") and the live viewer count of a topic.
import { useState } from 'preact/hooks';
import { useTopic } from './hooks';
import { listOf, type Agenda, type Answers } from './types';

export interface GallerySummary {
  id: number;
  title?: string;
  section?: number;
  section_title?: string;
  type?: string;
  type_title?: string;
  institution?: string;
  year?: number | null;
  outcome?: string;
  target_groups?: string;
  excerpt?: string;
  viewers?: number;
}

export interface GalleryList {
  practices?: GallerySummary[];
  total?: number;
  page?: number;
  pages?: number;
  page_size?: number;
}

export interface GalleryFile {
  id: string;
  purpose?: string;
  kind?: string | null;
  file_name?: string;
  length?: number;
  url: string;
  format?: { ok?: boolean; findings?: Array<{ rule?: string; where?: string; found?: string; expected?: string }> };
  preview?: string; // a document's pages as images: GET → DocumentPages
}

export interface DocumentPages {
  pages: number;
  width?: number;
  urls: string[];
}

export interface GalleryPractice extends GallerySummary {
  answers?: Answers;
  owner?: { id?: number; full_name?: string };
  files?: GalleryFile[];
  comments_open?: boolean;
  topic?: string;
}

export interface GalleryComment {
  id: number;
  practice?: number;
  parent?: number | null;
  author?: { id?: number; full_name?: string };
  text?: string | null;
  created_at?: string;
  edited_at?: string | null;
  hidden?: boolean;
  deleted?: boolean;
}

export interface CommentList {
  comments?: GalleryComment[];
  writable?: boolean;
  moderator?: boolean;
  max_chars?: number;
  may_flag?: boolean; // a participant may flag others' comments as abusive
  flagged?: number[]; // the comments this reader has flagged
}

// A comment in the gallery's moderation view: as its moderators read it, with its open flags.
export interface ModeratedComment extends GalleryComment {
  practice_title?: string;
  section?: number;
  flags?: number;
  reasons?: Record<string, number>; // by reason id; "" for a flag without a reason
  flagged_at?: string | null;
}

export interface ModerationList {
  comments?: ModeratedComment[];
}

export interface FlagReason {
  id: string;
  title: string;
}

// The reasons the agenda offers for flagging a comment (gallery.flag_reasons); none: none asked.
export function flagReasons(agenda: Agenda): FlagReason[] {
  const part = agenda.gallery as { flag_reasons?: unknown } | undefined;
  return listOf<Partial<FlagReason>>(part?.flag_reasons)
    .filter((r): r is FlagReason => typeof r.id === 'string' && typeof r.title === 'string');
}

export interface GallerySections {
  sections?: Array<{ number: number; title?: string; practices?: number; viewers?: number }>;
}

// How many people are on `topic` now: the subscribe reply's count, then its "presence" events.
// `onEvent` receives the topic's other events.
export function usePresence(topic: string | null, onEvent?: (event: string, data: unknown) => void, onSubscribed?: () => void): number | null {
  const [count, setCount] = useState<number | null>(null);
  useTopic(topic, {
    onSubscribed(data) {
      const d = (data ?? {}) as { presence?: unknown };
      if (typeof d.presence === 'number') setCount(d.presence);
      onSubscribed?.();
    },
    onEvent(event, data) {
      if (event === 'presence') {
        const d = (data ?? {}) as { count?: unknown };
        if (typeof d.count === 'number') setCount(d.count);
      } else {
        onEvent?.(event, data);
      }
    },
  });
  return count;
}
