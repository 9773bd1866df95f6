// YAML for readers that still speak YAML 1.1 (PyYAML in docker-compose v1, go-yaml v2 in kubectl):
// there `no`, `on`, `y`, `1:30` and `0755` are a boolean, a boolean, a boolean, 90 and 493, so an
// unquoted `restart: no` is `false`, which the compose-spec schema rejects, and `value: yes` is not a
// string for Kubernetes. Written as YAML 1.1 (without the %YAML line), the `yaml` library quotes every
// string a 1.1 reader would take for something else, and the text still reads the same as YAML 1.2.
// aliasDuplicateObjects off: a value used twice is written twice, not as an anchor and an alias.
export const YAML_11_SAFE = { aliasDuplicateObjects: false, version: '1.1' } as const;
