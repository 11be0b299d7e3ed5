"""An import in two steps: plan (the dry run a person previews), then apply.

The plan validates every row, merges duplicates on the normalised blog URL
and e-mail address (within the file and against the organisation's data)
and says what each row will do. `apply_plan` writes it in one transaction:
an import lands whole or not at all.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from ambassade.blogs.models import Blog, Blogger, BloggerEmail, EmailKind, LegalBasis, Platform
from ambassade.lib.french import count
from ambassade.lib.text import InvalidURL, normalize_blog_url, normalize_email, split_terms

from .readers import RawRow

_PLATFORMS = {p.value: p.value for p in Platform} | {
    "wp": Platform.WORDPRESS,
    "blogspot": Platform.BLOGGER,
    "over-blog": Platform.OVERBLOG,
    "over_blog": Platform.OVERBLOG,
    "autre": Platform.OTHER,
}
_EMAIL_KINDS = {
    "pro": EmailKind.PROFESSIONAL,
    "professionnelle": EmailKind.PROFESSIONAL,
    "professional": EmailKind.PROFESSIONAL,
    "perso": EmailKind.PRIVATE,
    "personnelle": EmailKind.PRIVATE,
    "privée": EmailKind.PRIVATE,
    "private": EmailKind.PRIVATE,
}
_LEGAL_BASES = {b.value: b.value for b in LegalBasis} | {
    "interet legitime": LegalBasis.LEGITIMATE_INTEREST,
    "intérêt légitime": LegalBasis.LEGITIMATE_INTEREST,
    "consentement": LegalBasis.CONSENT,
    "contrat": LegalBasis.CONTRACT,
}
_validate_email = EmailValidator()
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass
class RowPlan:
    line: int
    blog_key: str = ""
    blog_action: str = ""  # "create" | "merge" | ""
    blogger_action: str = ""  # "create" | "merge" | ""
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPlan:
    filename: str
    rows: list[RowPlan]

    @property
    def errors(self) -> list[RowPlan]:
        return [r for r in self.rows if r.errors]

    @property
    def valid(self) -> list[RowPlan]:
        return [r for r in self.rows if r.ok]

    def summary(self) -> dict[str, int]:
        valid = self.valid
        return {
            "rows": len(self.rows),
            "errors": len(self.errors),
            "blogs_created": sum(r.blog_action == "create" for r in valid),
            "blogs_merged": sum(r.blog_action == "merge" for r in valid),
            "bloggers_created": sum(r.blogger_action == "create" for r in valid),
            "bloggers_merged": sum(r.blogger_action == "merge" for r in valid),
        }


def build_plan(
    organisation,
    filename: str,
    rows: Iterable[RawRow],
    progress: Callable[[int], None] = lambda n: None,
) -> ImportPlan:
    rows = list(rows)
    existing_blogs = set(
        Blog.objects.filter(organisation=organisation).values_list("url_key", flat=True)
    )
    existing_emails = dict(
        BloggerEmail.objects.filter(organisation=organisation).values_list(
            "address_key", "blogger__blog__url_key"
        )
    )
    suppressed = _suppressed_keys(organisation)
    seen_blogs: set[str] = set()
    seen_emails: dict[str, str] = {}
    plans = []
    for index, raw in enumerate(rows, start=1):
        plan = _plan_row(raw)
        if plan.ok:
            key = plan.blog_key
            if key in existing_blogs or key in seen_blogs:
                plan.blog_action = "merge"
            else:
                plan.blog_action = "create"
            seen_blogs.add(key)
            email = plan.values.get("email_key")
            if email:
                owner = existing_emails.get(email) or seen_emails.get(email)
                if suppressed and suppression_hash(organisation.pk, email) in suppressed:
                    plan.errors.append(
                        "cette personne a demandé l'effacement de ses données : "
                        "son adresse ne peut pas être réimportée"
                    )
                elif owner and owner != key:
                    plan.errors.append(
                        f"l'adresse {plan.values['email']} est déjà celle d'un autre blog ({owner})"
                    )
                else:
                    plan.blogger_action = "merge" if owner else "create"
                    seen_emails[email] = key
        plans.append(plan)
        progress(index)
    return ImportPlan(filename, plans)


def suppression_hash(organisation_id, address):
    from ambassade.blogs.gdpr import suppression_hash as keyed_hash

    return keyed_hash(organisation_id, address)


def _suppressed_keys(organisation) -> set[str]:
    """Keyed hashes of the addresses of people who asked to be erased (see blogs.gdpr)."""
    from ambassade.blogs.models import Suppression

    return set(Suppression.objects.filter(organisation=organisation).values_list("address_hash", flat=True))


def _plan_row(raw: RawRow) -> RowPlan:
    values = dict(raw.values)
    plan = RowPlan(line=raw.line, values=values)
    url = values.get("blog_url", "")
    if not url:
        plan.errors.append("adresse du blog manquante")
        return plan
    if "://" not in url:
        url = values["blog_url"] = "https://" + url
    try:
        _validate_url(url)
        plan.blog_key = normalize_blog_url(url)
    except (ValidationError, InvalidURL) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        plan.errors.append(f"adresse du blog invalide ({url}) : {message}")
    if feed := values.get("feed_url"):
        try:
            _validate_url(feed)
        except ValidationError:
            plan.errors.append(f"adresse du flux invalide : {feed}")
    platform = values.get("platform", "").strip().lower()
    if platform and platform not in _PLATFORMS:
        plan.errors.append(f"plateforme inconnue : {values['platform']}")
    else:
        values["platform"] = _PLATFORMS.get(platform, "")
    email = values.get("email", "")
    person = any(values.get(k) for k in ("first_name", "last_name", "pseudonym"))
    if email:
        try:
            _validate_email(normalize_email(email))
            values["email_key"] = normalize_email(email)
        except ValidationError:
            plan.errors.append(f"adresse e-mail invalide : {email}")
    elif person:
        plan.errors.append("blogueur·se sans adresse e-mail : impossible de le ou la contacter")
    kind = values.get("email_kind", "").strip().lower()
    if kind and kind not in _EMAIL_KINDS:
        plan.errors.append(f"type d'adresse inconnu : {values['email_kind']} (pro ou perso)")
    else:
        values["email_kind"] = _EMAIL_KINDS.get(kind, EmailKind.PROFESSIONAL)
    basis = values.get("legal_basis", "").strip().lower()
    if basis and basis not in _LEGAL_BASES:
        plan.errors.append(f"base légale inconnue : {values['legal_basis']}")
    else:
        values["legal_basis"] = _LEGAL_BASES.get(basis, LegalBasis.LEGITIMATE_INTEREST)
    return plan


def apply_plan(
    organisation,
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    source: str = "",
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, int]:
    """Write the plan. Refuses a plan with errors unless told to skip the bad rows."""
    if plan.errors and not skip_invalid:
        raise ValueError(
            f"{count(len(plan.errors), 'ligne en erreur', 'lignes en erreur')} : corrigez le fichier "
            "ou importez seulement les lignes valides."
        )
    source = source or f"importé du fichier {plan.filename}"
    with transaction.atomic():
        blogs = {
            b.url_key: b
            for b in Blog.objects.select_for_update().filter(
                organisation=organisation, url_key__in={r.blog_key for r in plan.valid}
            )
        }
        for index, row in enumerate(plan.valid, start=1):
            blog = _upsert_blog(organisation, blogs, row)
            if row.values.get("email_key"):
                _upsert_blogger(organisation, blog, row, source)
            progress(index)
    return plan.summary()


def _upsert_blog(organisation, blogs: dict[str, Blog], row: RowPlan) -> Blog:
    v = row.values
    blog = blogs.get(row.blog_key)
    if blog is None:
        blog = Blog(organisation=organisation, url=v["blog_url"])
        blogs[row.blog_key] = blog
    # A merge fills what we did not know; it never overwrites what a person typed.
    if not blog.name:
        blog.name = v.get("blog_name") or row.blog_key
    if v.get("platform") and blog.platform in ("", Platform.OTHER):
        blog.platform = v["platform"]
    if v.get("feed_url") and not blog.feed_url:
        blog.feed_url = v["feed_url"]
    if v.get("language"):
        blog.language = v["language"][:8].lower()
    blog.save()
    return blog


def _upsert_blogger(organisation, blog: Blog, row: RowPlan, source: str) -> Blogger:
    v = row.values
    email = (
        BloggerEmail.objects.select_related("blogger")
        .filter(organisation=organisation, address_key=v["email_key"])
        .first()
    )
    if email:
        blogger = email.blogger
    else:
        blogger = Blogger(
            organisation=organisation,
            blog=blog,
            source=v.get("source") or source,
            legal_basis=v["legal_basis"],
        )
    for name in ("first_name", "last_name", "pseudonym"):
        if v.get(name) and not getattr(blogger, name):
            setattr(blogger, name, v[name])
    blogger.topics_wanted = _union(blogger.topics_wanted, split_terms(v.get("topics_wanted", "")))
    blogger.topics_never = _union(blogger.topics_never, split_terms(v.get("topics_never", "")))
    blogger.save()
    if not email:
        BloggerEmail.objects.create(
            organisation=organisation,
            blogger=blogger,
            address=v["email_key"],
            kind=v["email_kind"],
            is_primary=not blogger.emails.exists(),
        )
    return blogger


def _union(current: list[str], extra: list[str]) -> list[str]:
    folded = {t.casefold() for t in current}
    return [*current, *(t for t in extra if t.casefold() not in folded)]
