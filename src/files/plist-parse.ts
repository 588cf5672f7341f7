import { XMLParser, type EntityDecoderOptions } from "fast-xml-parser";
import type { PlistValue } from "plist";
import { decodeXmlReferences } from "./xml-references.js";

// An XML property list read with fast-xml-parser, which the settings files already load: the plist package
// parses with xmldom, whose start-up (its entity tables, frozen) cost ~40 ms of every `validate`. Values as the
// plist package gives them (https://github.com/TooTallNate/plist.js, lib/parse.js): <data> as bytes,
// <date> as a Date, a dictionary's last key without a value as "", <null/> dropped from arrays.

type XmlNode = Record<string, unknown> & { "#text"?: string };
/** plist's PlistValue leaves out the null its parser gives for <null/>. */
type Value = PlistValue | null;

/**
 * XML's five entities and character references, as xmldom reads an XML document. fast-xml-parser's own decoder
 * decodes character references only with HTML's entities too (&nbsp;…, which xmldom leaves as written), and
 * builds their table at every parse.
 */
const xmlEntities: EntityDecoderOptions = {
  decode: decodeXmlReferences,
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
};

const parser = new XMLParser({ preserveOrder: true, trimValues: false, parseTagValue: false, ignoreAttributes: true, ignoreDeclaration: true, ignorePiTags: true, entityDecoder: xmlEntities });

const tagOf = (node: XmlNode): string | undefined => Object.keys(node).find((key) => key !== ":@" && key !== "#text");
const childrenOf = (node: XmlNode, tag: string): XmlNode[] => (node[tag] as XmlNode[] | undefined) ?? [];
const elementsOf = (nodes: XmlNode[]): XmlNode[] => nodes.filter((node) => tagOf(node) !== undefined);
const textOf = (nodes: XmlNode[]): string => nodes.map((node) => node["#text"] ?? "").join("");

function invariant(test: boolean, message: string): asserts test {
  if (!test) throw new Error(message);
}

function value(node: XmlNode): Value {
  const tag = tagOf(node)!;
  const children = childrenOf(node, tag);
  switch (tag) {
    case "dict": {
      const dict: Record<string, Value> = {};
      const elements = elementsOf(children);
      for (let i = 0; i < elements.length; i += 2) {
        invariant(tagOf(elements[i]!) === "key", "Missing key while parsing <dict/>.");
        const key = textOf(childrenOf(elements[i]!, "key"));
        invariant(key !== "__proto__", "__proto__ keys can lead to prototype pollution");
        const next = elements[i + 1];
        invariant(next === undefined || tagOf(next) !== "key", "Unexpected <key> while parsing <dict/>. Keys and values must alternate.");
        dict[key] = next === undefined ? "" : value(next);
      }
      return dict as PlistValue;
    }
    case "array":
      return elementsOf(children)
        .map(value)
        .filter((item) => item !== null);
    case "string":
    case "key":
      return textOf(children);
    case "integer":
      invariant(children.length > 0, 'Cannot parse "" as integer.');
      return parseInt(textOf(children), 10);
    case "real":
      invariant(children.length > 0, 'Cannot parse "" as real.');
      return parseFloat(textOf(children));
    case "data":
      return Uint8Array.from(Buffer.from(textOf(children).replace(/\s+/g, ""), "base64"));
    case "date":
      invariant(children.length > 0, 'Cannot parse "" as Date.');
      return new Date(textOf(children));
    case "true":
      return true;
    case "false":
      return false;
    case "null":
      return null;
    default:
      throw new Error(`Invalid PLIST tag ${tag}`);
  }
}

/** The value of an XML property list; one value under <plist> is that value, several a list. Throws on a malformed list. */
export function parsePlist(xml: string): PlistValue {
  const root = elementsOf(parser.parse(xml) as XmlNode[]).find((node) => tagOf(node) !== "!DOCTYPE");
  invariant(root !== undefined && tagOf(root) === "plist", "malformed document. First element should be <plist>");
  const values = elementsOf(childrenOf(root, "plist")).map(value);
  return (values.length === 1 ? values[0] : values) as PlistValue;
}
