"""The rule catalogue with lookup indexes: which service (and feature) owns which signal.

Built once from the validated :class:`~planner.models.lockin.Rule` list. Exact tokens (SDK names,
ARN namespaces, principals, host artefacts, Serverless/Amplify names, document kinds, patterns)
go to a dict; imports match by longest module prefix; endpoints are regexes on host names;
file globs match relative paths; IaC signals are kept per kind for owner resolution. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from planner.models.lockin import IacSignal, Rule, ScoringModel, Signals

Owner = tuple[str, str | None]  # (service id, feature id or None)
IAC_KINDS = {
    "terraform": "terraform",
    "terraform-module": "terraform_modules",
    "cloudformation": "cloudformation",
}


def norm_import(name: str) -> str:
    return name.lower().replace("-", "_")


@dataclass
class Catalog:
    rules: dict[str, Rule]
    scoring: ScoringModel
    tokens: dict[str, Owner] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    imports: list[tuple[str, Owner]] = field(default_factory=list)
    endpoints: list[tuple[re.Pattern[str], Owner]] = field(default_factory=list)
    files: list[tuple[str, Owner]] = field(default_factory=list)
    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    iac: dict[str, list[tuple[IacSignal, str]]] = field(default_factory=dict)
    implied: dict[str, list[tuple[IacSignal, Owner]]] = field(default_factory=dict)
    feature_iac: dict[tuple[str, str], list[tuple[IacSignal, str]]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    _type_cache: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, rules: list[Rule], scoring: ScoringModel) -> Catalog:
        cat = cls({r.id: r for r in rules}, scoring)
        for rule in rules:
            cat._add(rule.id, None, rule.signals)
            for feature in rule.features:
                cat._add(rule.id, feature.id, feature.signals)
        cat.imports.sort(key=lambda item: -len(item[0]))
        for rule in rules:
            cat.aliases.setdefault(rule.id, rule.id)
        for token, (service, _) in cat.tokens.items():
            kind, _, name = token.partition(":")
            if kind == "sdk" and name.startswith("boto3:"):
                cat.aliases.setdefault(name[len("boto3:") :], service)
            elif kind == "arn" and ":" not in name:
                cat.aliases.setdefault(name, service)
        return cat

    def _own(self, token: str, owner: Owner) -> None:
        token = token.lower()
        if token in self.tokens and self.tokens[token] != owner:
            self.conflicts.append(f"{token}: {self.tokens[token]} and {owner}")
            return
        self.tokens[token] = owner

    def _add(self, service: str, feature: str | None, sig: Signals) -> None:
        owner: Owner = (service, feature)
        for token in sig.sdk.tokens():
            self._own(token, owner)
        prefixed = (
            ("arn", sig.arns),
            ("host", sig.principals),
            ("hostsig", sig.host),
            ("serverless", sig.serverless),
            ("amplify", sig.amplify),
            ("doc", sig.documents),
        )
        for prefix, names in prefixed:
            for name in names:
                self._own(f"{prefix}:{name}", owner)
        for pattern in sig.patterns:
            self._own(f"pattern:{pattern.name}", owner)
            self.patterns.append((pattern.name, re.compile(pattern.regex)))
        self.imports.extend((norm_import(name), owner) for name in sig.imports)
        self.endpoints.extend((re.compile(rx, re.IGNORECASE), owner) for rx in sig.endpoints)
        self.files.extend((glob, owner) for glob in sig.files)
        for kind, attr in IAC_KINDS.items():
            for spec in getattr(sig, attr):
                if spec.implied:
                    self.implied.setdefault(kind, []).append((spec, owner))
                elif feature is None:
                    self.iac.setdefault(kind, []).append((spec, service))
                else:
                    self.feature_iac.setdefault((kind, service), []).append((spec, feature))

    # ---------------------------------------------------------------- lookups
    def specs_for(
        self, kind: str, rtype: str
    ) -> tuple[list[tuple[IacSignal, str]], list[tuple[IacSignal, str]]]:
        """Owner signals for a type: exact matches, then globs (most specific first); cached."""
        key = ("own", kind, rtype)
        if key not in self._type_cache:
            specs = self.iac.get(kind, [])
            exact = [(s, svc) for s, svc in specs if s.type == rtype]
            globs = [(s, svc) for s, svc in specs if s.type != rtype and fnmatchcase(rtype, s.type)]
            globs.sort(key=lambda item: -len(item[0].type))
            self._type_cache[key] = [exact, globs]
        exact, globs = self._type_cache[key]
        return exact, globs

    def implied_for(self, kind: str, rtype: str) -> list[tuple[IacSignal, Owner]]:
        key = ("implied", kind, rtype)
        if key not in self._type_cache:
            self._type_cache[key] = [
                (s, o) for s, o in self.implied.get(kind, []) if fnmatchcase(rtype, s.type)
            ]
        return self._type_cache[key]  # type: ignore[no-any-return]

    def features_for(self, kind: str, service: str, rtype: str) -> list[tuple[IacSignal, str]]:
        key = ("feature", kind, service, rtype)
        if key not in self._type_cache:
            self._type_cache[key] = [
                (s, f)
                for s, f in self.feature_iac.get((kind, service), [])
                if fnmatchcase(rtype, s.type)
            ]
        return self._type_cache[key]  # type: ignore[no-any-return]

    def owner_of_token(self, token: str) -> Owner | None:
        token = token.lower()
        found = self.tokens.get(token)
        if found:
            return found
        kind, _, rest = token.partition(":")
        if kind == "arn":
            ns = rest.split(":", 1)[0]
            return self.tokens.get(f"arn:{ns}")
        if kind == "host":
            for regex, owner in self.endpoints:
                if regex.fullmatch(rest):
                    return owner
        if kind == "import":
            module = norm_import(rest)
            for prefix, owner in self.imports:
                if module == prefix or module.startswith((prefix + ".", prefix + "/")):
                    return owner
        return None

    def owner_of_file(self, relpath: str) -> Owner | None:
        for glob, owner in self.files:
            if fnmatchcase(relpath, glob) or fnmatchcase(relpath, "*/" + glob):
                return owner
        return None

    def resolve_label(self, label: str) -> str:
        """A service id for a name from discovery, an SDK or a type (rule id, boto3 name, ARN)."""
        key = label.lower()
        return self.aliases.get(key, key)
