/**
 * What macOS and Windows accept as the name of a file or folder, for names 4dbuild writes (applications, their
 * folders) and a user's machine creates (cache folders). Sources: Microsoft, "Naming Files, Paths, and
 * Namespaces" (https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file): reserved device names, also
 * with an extension, characters < > : " / \ | ? * and 0–31, no trailing space or period, 255 UTF-16 units a
 * component; Apple, APFS reference: 255 UTF-8 bytes a name, "/" and ":" (the Finder's separator) excluded.
 */

/** CON, PRN, AUX, NUL, COM0–9 and LPT0–9 (and their superscript-digit forms), whatever the case and the extension. */
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3])\s*(\.|$)/i;
const FORBIDDEN = /[<>:"/\\|?*]/;
/** C0 and C1 control characters, DEL. */
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Characters that reorder the text around them (bidi embeddings, overrides, isolates, marks): a name would read otherwise than it is. */
export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Bytes of a name, leaving room below the file systems' 255 for what 4dbuild adds (".app", ".4DZ", ".exe"…). */
export const NAME_BYTES = 240;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `name` cannot be a file or folder name on macOS or Windows, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === "." || name === "..") return `"${name}" names a folder itself, not a file`;
  const control = CONTROL.exec(name);
  if (control) return `contains the control character ${codePoint(control[0])}`;
  const bidi = BIDI.exec(name);
  if (bidi) return `contains the bidirectional control ${codePoint(bidi[0])}, which makes a name read otherwise than it is`;
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden) return `contains ${forbidden[0]}, which Windows or macOS refuses in a file name`;
  const reserved = RESERVED.exec(name.replace(/[ .]+$/, ""));
  if (reserved) return `"${reserved[1]}" is a device name Windows reserves, with any extension`;
  if (/[ .]$/.test(name)) return "ends with a space or a period, which Windows removes";
  if (Buffer.byteLength(name) > NAME_BYTES) return `is ${Buffer.byteLength(name)} bytes long; at most ${NAME_BYTES} are allowed (file systems allow 255, and 4dbuild adds extensions)`;
  return undefined;
}
