#!/usr/bin/env bash
# The keys that sign updates, made once per office on the technician's own machine (never on a
# kiosk, never in the repository): a CA, whose certificate goes into every image as the kiosk's
# keyring (ANJUNGAN_UPDATE_KEYRING), and a release signer under it (extendedKeyUsage
# codeSigning, which the kiosk's RAUC requires), whose certificate and key `make bundle` uses.
# Keep ca.key offline: it is needed again only to issue the next signer.
# Usage: image/rauc/signing-keys.sh DIR [NAME]     (DIR must not exist yet)
#   DIR/ca.pem  DIR/ca.key  DIR/signer.pem  DIR/signer.key
set -euo pipefail
dir="$1" name="${2:-anjungan}"
[ ! -e "$dir" ] || { echo "signing-keys.sh: $dir exists: keys are never overwritten" >&2; exit 2; }
umask 077
mkdir -p "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 7300 -subj "/CN=$name update CA" \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req "${ec[@]}" -keyout "$dir/signer.key" -out "$dir/signer.csr" -subj "/CN=$name release signer" 2>/dev/null
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' > "$dir/signer.ext"
openssl x509 -req -in "$dir/signer.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -out "$dir/signer.pem" -days 1825 -extfile "$dir/signer.ext" 2>/dev/null
rm -f "$dir/signer.csr" "$dir/signer.ext" "$dir/ca.srl"
chmod 0644 "$dir/ca.pem" "$dir/signer.pem"
echo "$dir"
