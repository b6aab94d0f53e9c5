"""deploy/kubernetes/: valid against the Kubernetes schemas (kubernetes-validate, offline:
the schemas ship in the package), no secret inlined, every container non-root with a
read-only root filesystem and resource requests and limits, Rasa replicated behind readiness
probes, only Rasa let in to the action server, and every environment variable the code
reads set by the manifests or listed as optional in deploy/README.md."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

with warnings.catch_warnings():  # it imports pkg_resources and distutils
    warnings.simplefilter("ignore")
    from kubernetes_validate import utils as k8s

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
DEPLOY_README = ROOT / "deploy" / "README.md"
KUBERNETES_VERSION = "1.28.0"  # the newest whose schemas kubernetes-validate 1.28.1 ships
SECRETS = {"HRD_DATA_KEY", "RASA_API_TOKEN", "HRD_ACTION_SECRET", "HRD_SOCKET_JWT_KEY",
           "DATABASE_URL", "REDIS_URL"}
ENV_NAME = re.compile(r"(HRD|RASA)_[A-Z0-9_]+|DATABASE_URL|REDIS_URL")
WORKLOADS = {"Deployment", "Job"}


def manifest_files() -> list[Path]:
    return sorted(MANIFESTS.glob("*.yaml"))


def resources() -> list[dict[str, Any]]:
    found = []
    for path in manifest_files():
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return [doc for doc in found if doc["kind"] != "Kustomization"]


def named(kind: str, name: str) -> dict[str, Any]:
    [resource] = [r for r in resources() if r["kind"] == kind and r["metadata"]["name"] == name]
    return resource


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def containers() -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for workload in resources():
        if workload["kind"] in WORKLOADS:
            spec = pod_spec(workload)
            for container in spec.get("initContainers", []) + spec["containers"]:
                yield workload["metadata"]["name"], spec, container


def variables_set() -> set[str]:
    config_maps = {r["metadata"]["name"]: r.get("data", {}) for r in resources()
                   if r["kind"] == "ConfigMap"}
    names: set[str] = set()
    for _, _, container in containers():
        names |= {entry["name"] for entry in container.get("env", [])}
        for source in container.get("envFrom", []):
            names |= set(config_maps[source["configMapRef"]["name"]])
    return names


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def variables_read() -> dict[str, str]:
    """Every variable the code reads: a constant given to os.environ / os.getenv, and every
    string constant shaped like one of ours (names passed through helpers such as
    bot.channels.settings.env or held in constants such as ACTION_SECRET_VARIABLE)."""
    read: dict[str, str] = {}
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            name = None
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and ENV_NAME.fullmatch(node.value):
                name = node.value
            elif isinstance(node, ast.Call) and node.args \
                    and isinstance(node.args[0], ast.Constant):
                func = node.func
                if _is_environ(func) or (isinstance(func, ast.Attribute)
                                         and _is_environ(func.value)):
                    name = node.args[0].value
            elif isinstance(node, ast.Subscript) and _is_environ(node.value) \
                    and isinstance(node.slice, ast.Constant):
                name = node.slice.value
            if isinstance(name, str):
                read.setdefault(name, str(path.relative_to(ROOT)))
    return read


def documented_optional() -> set[str]:
    section = DEPLOY_README.read_text().split("## Optional settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", section))


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(path: Path) -> None:
    for doc in yaml.safe_load_all(path.read_text()):
        if doc and doc["kind"] != "Kustomization":
            k8s.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_wrong_field_offline() -> None:
    deployment = named("Deployment", "hrd-rasa")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    pod_spec(broken)["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(k8s.ValidationError):
        k8s.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(
        p.name for p in manifest_files() if p.name != "kustomization.yaml")


def test_every_variable_the_code_reads_is_set_or_documented_optional() -> None:
    read = variables_read()
    assert {"HRD_DATA_KEY", "DATABASE_URL", "HRD_OUTBOX_DRAIN_SECONDS",
            "HRD_ACTION_SECRET", "HRD_TELEGRAM_TOKEN"} <= set(read)  # the scan finds them
    unaccounted = {name: where for name, where in read.items()
                   if name not in variables_set() | documented_optional()}
    assert not unaccounted, "set these in deploy/kubernetes or list them in deploy/README.md"
    stale = documented_optional() - set(read)
    assert not stale, f"deploy/README.md lists variables no code reads: {sorted(stale)}"


def test_no_secret_is_inlined() -> None:
    assert not [r for r in resources() if r["kind"] == "Secret"], \
        "the operator creates hrd-secrets; no Secret (and no value of one) in these files"
    for r in resources():
        if r["kind"] == "ConfigMap":
            assert not SECRETS & set(r.get("data", {})), r["metadata"]["name"]
    for workload, _, container in containers():
        for entry in container.get("env", []):
            if entry["name"] in SECRETS:
                assert "value" not in entry, (workload, entry["name"])
                ref = entry["valueFrom"]["secretKeyRef"]
                assert ref == {"name": "hrd-secrets", "key": entry["name"]}


def test_the_servers_get_the_secrets_they_need() -> None:
    needs = {"hrd-rasa": SECRETS, "hrd-action-server": {"DATABASE_URL", "HRD_DATA_KEY",
                                                        "HRD_ACTION_SECRET"},
             "hrd-console": {"DATABASE_URL", "REDIS_URL", "HRD_DATA_KEY", "HRD_SOCKET_JWT_KEY"}}
    for workload, _, container in containers():
        if workload in needs:
            assert needs[workload] <= {e["name"] for e in container["env"]}, workload


def test_every_container_is_non_root_read_only_and_bounded() -> None:
    seen = 0
    for workload, spec, container in containers():
        seen += 1
        pod, own = spec.get("securityContext", {}), container.get("securityContext", {})
        assert own.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, workload
        assert own.get("runAsUser", pod.get("runAsUser", 0)) != 0, workload
        assert own.get("readOnlyRootFilesystem") is True, workload
        assert own.get("allowPrivilegeEscalation") is False, workload
        assert own.get("capabilities", {}).get("drop") == ["ALL"], workload
        mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
        assert {"/tmp", "/var/lib/hrd"} <= mounts, workload  # writable: /tmp, HRD_DATA_DIR
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][bound]), (workload, bound)
    assert seen == 5


def test_the_real_entrypoints_run() -> None:
    commands = {w: " ".join(c.get("command", []) + c.get("args", []))
                for w, _, c in containers()}
    assert commands["hrd-rasa"].startswith("python -m bot.runtime.rasa_server ")
    assert "--endpoints /etc/hrd/endpoints.yml" in commands["hrd-rasa"]
    assert commands["hrd-action-server"].startswith("python -m bot.runtime.action_server")
    assert commands["hrd-console"] == "python -m bot.runtime.console_server"
    assert "hrd db drain-outbox" in commands["hrd-outbox-drainer"]
    assert commands["hrd-db-upgrade"] == "hrd db upgrade"
    endpoints = yaml.safe_load(named("ConfigMap", "hrd-rasa-endpoints")["data"]["endpoints.yml"])
    repository = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert endpoints["action_endpoint"]["url"] == "http://hrd-action-server:5055/webhook"
    assert {k: v for k, v in endpoints.items() if k != "action_endpoint"} == \
        {k: v for k, v in repository.items() if k != "action_endpoint"}


def test_rasa_is_replicated_behind_readiness_probes() -> None:
    rasa = named("Deployment", "hrd-rasa")
    assert rasa["spec"]["replicas"] >= 2
    [container] = pod_spec(rasa)["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/"
    [action] = pod_spec(named("Deployment", "hrd-action-server"))["containers"]
    assert action["readinessProbe"]["httpGet"]["path"] == "/health"


def test_only_rasa_reaches_the_action_server() -> None:
    deny = named("NetworkPolicy", "default-deny")["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    rasa_labels = named("Deployment", "hrd-rasa")["spec"]["template"]["metadata"]["labels"]
    action = named("Deployment", "hrd-action-server")["spec"]["template"]["metadata"]["labels"]
    admitting = [p["spec"] for p in resources() if p["kind"] == "NetworkPolicy"
                 and p["spec"].get("ingress")
                 and _selects(p["spec"]["podSelector"], action)]
    assert len(admitting) == 1
    [rule] = admitting[0]["ingress"]
    assert rule["from"] == [{"podSelector": {"matchLabels": rasa_labels}}]
    assert rule["ports"] == [{"protocol": "TCP", "port": 5055}]


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not selector:
        return True
    matches = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
    for expression in selector.get("matchExpressions", []):
        matches &= labels.get(expression["key"]) in expression["values"]
    return matches


def test_the_ingress_routes_only_the_console_and_rasa_channels_over_tls() -> None:
    routes = {}
    for ingress in (r for r in resources() if r["kind"] == "Ingress"):
        assert ingress["spec"]["tls"][0]["secretName"] == "hrd-tls"
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                routes[path["path"]] = path["backend"]["service"]["name"]
    assert routes == {"/": "hrd-console", "/webhooks/": "hrd-rasa", "/socket.io/": "hrd-rasa"}
