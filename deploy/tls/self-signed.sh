#!/bin/sh
# A private CA and a server certificate signed by it, for local use (`npm run host:up`, docker
# compose) or as the placeholder a fresh host serves until Let's Encrypt has issued a real one.
#
#   deploy/tls/self-signed.sh [--force] DIR [NAME...]     NAMES default to: localhost 127.0.0.1 ::1
#
# Writes DIR/ca.pem (trust this one: curl --cacert, NODE_EXTRA_CA_CERTS, an iOS profile),
# DIR/ca.key, DIR/server.pem and DIR/server.key. Idempotent: the CA is made once; the server
# certificate is made again only when missing, expiring within 30 days, issued for other names or
# by another CA, or with --force (a "renewal": reload Nginx afterwards, deploy/tls/reload-nginx.sh).
# ECDSA P-256 keys; the server certificate lives 397 days, the most Apple platforms accept.
set -eu

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
[ $# -ge 1 ] || { echo "usage: $0 [--force] DIR [NAME...]" >&2; exit 2; }
dir=$1
shift
[ $# -gt 0 ] || set -- localhost 127.0.0.1 ::1

umask 077
mkdir -p "$dir"
cd "$dir"

if [ ! -s ca.pem ] || [ ! -s ca.key ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout ca.key.tmp -out ca.pem.tmp -days 3650 -subj "/O=Market Scanner/CN=Market Scanner local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  mv ca.key.tmp ca.key
  mv ca.pem.tmp ca.pem
  chmod 644 ca.pem
  rm -f server.pem
  echo "created a local CA: $PWD/ca.pem"
fi

san=""
for name in "$@"; do
  case $name in
    *:* | *[0-9].*[0-9].*[0-9].*[0-9]) entry="IP:$name" ;;
    *) entry="DNS:$name" ;;
  esac
  san="${san:+$san,}$entry"
done

reissue=$force
[ -s server.pem ] && [ -s server.key ] || reissue=1
[ "$(cat names 2>/dev/null || true)" = "$san" ] || reissue=1
if [ "$reissue" = 0 ]; then
  openssl x509 -in server.pem -noout -checkend 2592000 >/dev/null || reissue=1
  openssl verify -CAfile ca.pem server.pem >/dev/null 2>&1 || reissue=1
fi
[ "$reissue" = 1 ] || exit 0

cat > server.ext <<EXT
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout server.key.tmp -out server.csr -subj "/O=Market Scanner/CN=$1" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
  -days 397 -sha256 -extfile server.ext -out server.pem.tmp 2>/dev/null
# Key first, then certificate: a reload between the two renames fails `nginx -t` at worst.
mv server.key.tmp server.key
mv server.pem.tmp server.pem
chmod 644 server.pem
rm -f server.csr server.ext
printf '%s\n' "$san" > names
echo "issued a server certificate for $san: $PWD/server.pem (valid 397 days)"
