// One message: text as text (no markdown, no HTML: a message's `<img onerror>` or `javascript:` link
// stays inert characters), citations as buttons that open the cited chunk, images inline, generated
// files as downloads.
import type { ComponentChild } from 'preact';
import type { Annotation, FileSearchResult, Message } from '../api/types';
import { DownloadButton, FileImage } from './files';

export interface CitationTarget {
  annotation: Annotation;
  result: FileSearchResult | null;
}

function TextWithAnnotations({ value, annotations, onCite }: { value: string; annotations: Annotation[]; onCite?: (a: Annotation) => void }) {
  const sorted = annotations.filter((a) => a.end_index > a.start_index).sort((a, b) => a.start_index - b.start_index);
  const out: ComponentChild[] = [];
  let at = 0;
  sorted.forEach((a, i) => {
    if (a.start_index < at) return;
    out.push(value.slice(at, a.start_index));
    if (a.type === 'file_citation') {
      out.push(
        <button type="button" class="cite" title={a.text} onClick={() => onCite?.(a)} key={`c${i}`}>
          {`[${i + 1}]`}
        </button>,
      );
    } else {
      out.push(<DownloadButton key={`f${i}`} fileId={a.file_path!.file_id} label={a.text.split('/').pop() || 'download'} />);
    }
    at = a.end_index;
  });
  out.push(value.slice(at));
  return <div class="text">{out}</div>;
}

export function MessageView({ message, onCite }: { message: Message; onCite?: (a: Annotation) => void }) {
  return (
    <article class={`message ${message.role}`} data-message-id={message.id}>
      <header>
        <strong>{message.role}</strong> <span class="muted">{message.id}</span>
      </header>
      {message.content.map((part, i) => {
        if (part.type === 'text') return <TextWithAnnotations key={i} value={part.text.value} annotations={part.text.annotations} onCite={onCite} />;
        if (part.type === 'image_file') return <FileImage key={i} fileId={part.image_file.file_id} />;
        if (part.type === 'refusal') return <div key={i} class="refusal">{part.refusal}</div>;
        // image_url: shown as its URL (text) so no third-party image is fetched under our CSP.
        return <div key={i} class="muted">{`image_url: ${part.image_url.url}`}</div>;
      })}
      {message.attachments?.length ? (
        <div class="attachments">
          {message.attachments.map((a) => (
            <DownloadButton key={a.file_id} fileId={a.file_id} label={`📎 ${a.file_id} (${a.tools.map((t) => t.type).join(', ')})`} />
          ))}
        </div>
      ) : null}
    </article>
  );
}
