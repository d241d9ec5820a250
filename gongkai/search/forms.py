from django import forms

from .backends import Filters

SORTS = [("relevance", "按相关度"), ("date", "按发布日期")]
RECORDS = "record"  # the kind filter's value for 政府信息 (records)


Q_MAX = 200  # characters of a search; a longer one is searched by its first Q_MAX (and the page says so)


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", max_length=Q_MAX, required=False, strip=True)
    organ = forms.IntegerField(required=False, min_value=1)
    genre = forms.IntegerField(required=False, min_value=1)
    topic = forms.IntegerField(required=False, min_value=1)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    validity = forms.ChoiceField(required=False, choices=[("", "")] + [
        ("valid", "有效"), ("revised", "已修订"), ("repealed", "已废止"), ("expired", "已失效")])
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)
    kind = forms.CharField(required=False, max_length=20)  # "" 全部, "record" 政府信息, or a registered item kind

    def cleaned(self) -> dict:
        """Valid values only: a bad parameter is dropped, not an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found = {name: data.get(name) for name in self.fields if name not in self.errors}
        if self.q_truncated:
            try:
                found["q"] = self.fields["q"].clean(str(self.data.get("q")).strip()[:Q_MAX])
            except forms.ValidationError:
                pass  # bad for another reason too (a NUL character): dropped like any bad parameter
        return found

    @property
    def q_truncated(self) -> bool:
        """A search longer than Q_MAX characters, searched by its beginning."""
        return len(str(self.data.get("q") or "").strip()) > Q_MAX

    def chosen_kind(self) -> str:
        from . import items

        value = self.cleaned().get("kind") or ""
        return value if value == RECORDS or items.kind(value) is not None else ""

    def has_record_filters(self) -> bool:
        data = self.cleaned()
        return any(data.get(name) for name in ("genre", "topic", "year", "validity"))

    def filters(self) -> Filters:
        data = self.cleaned()
        return Filters(organ_id=data.get("organ"), genre_id=data.get("genre"), topic_id=data.get("topic"),
                       year=data.get("year"), validity=data.get("validity") or None)
