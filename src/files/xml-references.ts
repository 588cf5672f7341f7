const PREDEFINED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * The entity and character references of XML text (XML's five entities, &#…; and &#x…;), decoded in one pass so
 * that "&amp;#13;" is the text "&#13;". Other entities (&nbsp;…) are left as written, as xmldom leaves them; a
 * reference beyond U+10FFFF too.
 */
export const decodeXmlReferences = (text: string): string =>
  text.includes("&")
    ? text.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (match, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
        if (name) return PREDEFINED[name]!;
        const code = hex ? parseInt(hex, 16) : Number(decimal);
        return code <= 0x10ffff ? String.fromCodePoint(code) : match;
      })
    : text;
