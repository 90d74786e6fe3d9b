/** The INI files RAUC reads and writes (system.conf, manifests): sections of key=value lines. */
export type Ini = Record<string, Record<string, string>>;

export function parseIni(text: string): Ini {
  const out: Ini = {};
  let section: Record<string, string> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = out[header[1]!] ??= {};
    else if (section && line.includes('=')) {
      const at = line.indexOf('=');
      section[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return out;
}

/** The bundle formats a system.conf allows: `bundle-formats=` names them, or takes (-) from all. */
export function allowedBundleFormats(systemConf: Ini): Set<string> {
  const spec = systemConf.system?.['bundle-formats'];
  const all = ['plain', 'verity', 'crypt'];
  if (!spec) return new Set(all);
  const words = spec.split(/\s+/).filter(Boolean);
  if (words.every((w) => /^[+-]/.test(w))) {
    const formats = new Set(all);
    for (const w of words) w.startsWith('-') ? formats.delete(w.slice(1)) : formats.add(w.slice(1));
    return formats;
  }
  return new Set(words);
}
