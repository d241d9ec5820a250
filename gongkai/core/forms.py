"""What every public form shares: a honeypot field and, once a client has submitted a few times,
a small sum to answer (:class:`gongkai.core.throttle.Throttle` makes and checks it); and the
searchable organ tree of the forms that address one organ among hundreds.

A form declares the fields itself (``website``, ``challenge_answer``, ``challenge_token``) and
mixes in :class:`GuardedFormMixin` with its ``throttle``.

An organ field uses :func:`organ_tree_field_setup` (an :class:`OrganTreeSelect` with indented
choices whose options carry their tree path); the page adds ``core/_organ_picker.html`` before the
field and ``core/organ-tree.js``, which filters the options by name and keeps their ancestors.
Without the script the field is a plain, indented select.
"""

from __future__ import annotations

from django import forms

from .files import short_file_name
from .throttle import Throttle


class OrganTreeSelect(forms.Select):
    """A select whose options carry their tree path, so the page's script can filter and keep ancestors."""

    def __init__(self, *args, paths: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.paths:
            option["attrs"]["data-path"] = self.paths[str(value)]
        return option


def _indented(organ) -> str:
    return "\u3000" * max(0, organ.path.count("/") - 2) + organ.name


def organ_tree_choices(organs) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """``(paths, choices)`` for organs in tree order: each name indented by its depth."""
    organs = list(organs)
    return {str(o.pk): o.path for o in organs}, [(o.pk, _indented(o)) for o in organs]


def organ_tree_field_setup(field: forms.ChoiceField, organs, *, empty_label: str) -> None:
    """Make ``field`` a searchable organ tree: a ChoiceField gets ``organs`` (in tree order) as its
    choices; a ModelChoiceField keeps its queryset (``organs``), its labels indented by depth."""
    paths, choices = organ_tree_choices(organs)
    field.widget = OrganTreeSelect(paths=paths, attrs={"data-organ-tree": "1"})
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = empty_label
        field.label_from_instance = _indented
        field.widget.choices = field.choices
    else:
        field.choices = [("", empty_label), *choices]


class GuardedFormMixin:
    throttle: Throttle
    challenge: tuple[str, str] | None = None

    def set_challenge(self, challenge: tuple[str, str] | None) -> None:
        """Show the question (``challenge``: question and signed token), or drop its fields."""
        self.challenge = challenge
        if challenge is None:
            del self.fields["challenge_answer"]
            del self.fields["challenge_token"]
            return
        answer = self.fields["challenge_answer"]
        answer.label = f"验证问题：{challenge[0]}"
        answer.required = True
        answer.error_messages["required"] = "请回答验证问题。"
        self.initial["challenge_token"] = challenge[1]
        if self.is_bound:  # the question shown is the one checked, whatever token came back
            data = self.data.copy()
            data["challenge_token"] = challenge[1]
            self.data = data

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("提交未成功，请刷新页面后重试。")
        return ""

    def check_challenge(self, data: dict) -> None:
        """Call from ``clean``: a wrong answer is a field error."""
        if self.challenge is not None and not self.throttle.check_challenge(
                self.data.get("challenge_token", ""), data.get("challenge_answer") or ""):
            self.add_error("challenge_answer", "验证问题回答不正确，请重新计算。")


#: Pending directories of the forms using :class:`KeptFilesMixin` and how long their files stay usable
#: (filled as the forms are defined); :func:`purge_kept_files` (in the daily job) empties them.
KEPT_DIRS: dict[str, int] = {}


class KeptFilesMixin:
    """A public form's uploads survive a form error: this attempt's valid uploads (field ``kept_field``)
    are stored as pending files under ``kept_dir``, named in a signed hidden field (``kept_files``,
    signed with ``kept_salt``, usable for ``kept_max_age`` seconds), shown as attached with a box to
    remove each (``drop_kept``), and join the form's files when it is sent again. Works without
    JavaScript; also when the service refuses after the form was valid (a non-field error).

    ``kept_field`` may be a multiple-file field (a list; at most ``kept_max_files`` files in all) or a
    single file field: then a new upload replaces the kept file."""

    kept_field = "attachments"
    kept_dir = "pending/"
    kept_salt = "gongkai.kept-files"
    kept_max_age = 6 * 3600
    kept_max_files = 5

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        KEPT_DIRS[cls.kept_dir] = max(KEPT_DIRS.get(cls.kept_dir, 0), cls.kept_max_age)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept_files"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self._checked = False
        self.kept = self._read_kept(self.data.get("kept_files", "") if self.is_bound else "")
        self._drop_field()

    @property
    def _single(self) -> bool:
        field = self.fields.get(self.kept_field)
        return not getattr(getattr(field, "widget", None), "allow_multiple_selected", False)

    def _drop_field(self) -> None:
        if self.kept:
            self.fields["drop_kept"] = forms.MultipleChoiceField(
                label="已附文件（已保存，无需重新选择；勾选的将移除）", required=False,
                widget=forms.CheckboxSelectMultiple, choices=[(str(i), k["name"]) for i, k in enumerate(self.kept)])
            if self.kept_field in self.fields:  # shown right after the file field
                order = [n for n in self.fields if n != "drop_kept"]
                order.insert(order.index(self.kept_field) + 1, "drop_kept")
                self.fields = {n: self.fields[n] for n in order}
        else:
            self.fields.pop("drop_kept", None)

    def _read_kept(self, token: str) -> list[dict]:
        from django.core import signing
        from django.core.files.storage import default_storage

        if not token:
            return []
        try:
            kept = signing.loads(token, salt=self.kept_salt, max_age=self.kept_max_age)
        except (signing.BadSignature, TypeError, ValueError):
            return []
        if not isinstance(kept, list):
            return []
        return [k for k in kept if isinstance(k, dict) and str(k.get("path", "")).startswith(self.kept_dir)
                and ".." not in str(k["path"]) and default_storage.exists(k["path"])][: self.kept_max_files]

    def _dropped(self) -> set[str]:
        return set(self.data.getlist("drop_kept")) if hasattr(self.data, "getlist") else set()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        self._checked = valid  # a later add_error on a valid form is the service refusing it
        if not valid:
            self.keep_files()
        return valid

    def add_error(self, field, error):
        super().add_error(field, error)
        if self._checked:  # the service refused a valid form: keep the files for the next attempt
            self._checked = False
            self.keep_files()

    def _uploads(self) -> list:
        from django.core.files.uploadedfile import UploadedFile

        value = (getattr(self, "cleaned_data", None) or {}).get(self.kept_field)
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [f for f in values if isinstance(f, UploadedFile)]

    def keep_files(self) -> None:
        """Store this attempt's valid uploads as pending files; the re-shown form names them."""
        import uuid

        from django.core import signing
        from django.core.files.storage import default_storage

        dropped = self._dropped()
        kept = [k for i, k in enumerate(self.kept) if str(i) not in dropped]
        new = self._uploads()
        if self._single and new:
            kept = []
        for f in new[: max(0, self.kept_max_files - len(kept))]:
            ext = f.name.rsplit(".", 1)[-1].lower()[:10] if "." in f.name else "bin"
            f.seek(0)
            path = default_storage.save(f"{self.kept_dir}{uuid.uuid4().hex}.{ext}", f)
            kept.append({"path": path, "name": short_file_name(f.name)})
        self.kept = kept
        self._drop_field()
        data = self.data.copy()
        data["kept_files"] = signing.dumps(kept, salt=self.kept_salt) if kept else ""
        if hasattr(data, "setlist"):
            data.setlist("drop_kept", [])
        self.data = data

    def discard_kept(self) -> None:
        """After success: delete the pending files this form used (the purge would, later)."""
        from django.core.files.storage import default_storage

        for k in self.kept:
            if default_storage.exists(k["path"]):
                default_storage.delete(k["path"])

    def kept_file_objects(self) -> list:
        """The kept files not ticked for removal, as named Files (with their size)."""
        from django.core.files.base import File
        from django.core.files.storage import default_storage

        dropped = self._dropped()
        out = []
        for i, k in enumerate(self.kept):
            if str(i) not in dropped:
                f = File(default_storage.open(k["path"], "rb"), name=k["name"])
                f.size = default_storage.size(k["path"])
                out.append(f)
        return out

    def _post_clean(self):
        super()._post_clean()
        if self.kept_field not in self.cleaned_data:
            return
        kept = self.kept_file_objects()
        if not kept:
            return
        if self._single:
            if not self.cleaned_data.get(self.kept_field):
                self.cleaned_data[self.kept_field] = kept[0]
            return
        new = self.cleaned_data.get(self.kept_field) or []
        if len(new) + len(kept) > self.kept_max_files:
            self.add_error(self.kept_field, f"文件最多 {self.kept_max_files} 个（含已附的 {len(kept)} 个）。")
        else:
            self.cleaned_data[self.kept_field] = [*kept, *new]


def purge_kept_files(*, dirs: dict[str, int] | None = None, older_than=None) -> int:
    """Delete pending files (kept across a form error) that no form can use any more: those older than
    their form's ``kept_max_age`` (or ``older_than``, a timedelta) in every directory of ``dirs``
    (default: all forms' :data:`KEPT_DIRS`). Returns how many were deleted."""
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    removed = 0
    for directory, max_age in (KEPT_DIRS if dirs is None else dirs).items():
        cutoff = timezone.now() - (older_than if older_than is not None else dt.timedelta(seconds=max_age))
        try:
            _dirs, names = default_storage.listdir(directory)
        except (FileNotFoundError, NotImplementedError):
            continue
        for name in names:
            path = directory + name
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
            except (FileNotFoundError, NotImplementedError):
                continue
    return removed
