import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { xmlText } from "../files/xml-text.js";

/** One attribute written into a 4D settings file: the element path below the root (created when absent). */
export interface SettingsEdit {
  path: readonly string[];
  attribute: string;
  value: string;
}

type Node = Record<string, unknown> & { ":@"?: Record<string, string> };

const OPTIONS = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "@_", parseAttributeValue: false, parseTagValue: false, trimValues: true, processEntities: true, suppressEmptyNode: true, format: true, indentBy: "\t" } as const;

const nameOf = (node: Node) => Object.keys(node).find((k) => k !== ":@")!;

/** The child element `name` of `children`, added at the end when there is none. */
function child(children: Node[], name: string): Node[] {
  let found = children.find((n) => nameOf(n) === name);
  if (!found) {
    found = { [name]: [] };
    children.push(found);
  }
  return found[name] as Node[];
}

function element(children: Node[], name: string): Node {
  child(children, name);
  return children.find((n) => nameOf(n) === name)!;
}

/**
 * A settings.4DSettings file (<preferences><com.4d>…) with attributes set, as Build4D's Server class does with
 * 4D's DOM commands (Server.4dm _fix_settings): elements are found by path below the root and created when
 * missing; everything else is kept. Without a file, one is made with the root 4D writes.
 */
export function editSettingsXml(text: string | undefined, edits: readonly SettingsEdit[]): string {
  const source = text === undefined ? '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<preferences stamp="1"/>\n' : xmlText(text).replace(/<!DOCTYPE[^>]*>/i, "");
  const tree = new XMLParser(OPTIONS).parse(source) as Node[];
  const root = tree.find((n) => !nameOf(n).startsWith("?"));
  if (!root) throw new Error("the settings file has no root element");
  for (const edit of edits) {
    let children = root[nameOf(root)] as Node[];
    let target: Node = root;
    for (const name of edit.path) {
      target = element(children, name);
      children = target[name] as Node[];
    }
    target[":@"] = { ...target[":@"], [`@_${edit.attribute}`]: edit.value };
  }
  return `${(new XMLBuilder(OPTIONS).build(tree) as string).trim()}\n`;
}
