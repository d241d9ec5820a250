"""The searchable organ tree shared by the apply form and the message form (core.forms)."""

from django import forms

from gongkai.core.forms import OrganTreeSelect, organ_tree_field_setup
from gongkai.core.models import Organ
from tests import factories


def test_choices_are_indented_and_options_carry_their_path(db):
    parent = factories.OrganFactory(name="保定市人民政府", code="11130600MC0000001X")
    child = factories.OrganFactory(name="保定市财政局", code="11130600MC0000002X", parent=parent)
    organs = Organ.objects.filter(pk__in=[parent.pk, child.pk]).order_by("path")

    class F(forms.Form):
        plain = forms.TypedChoiceField(coerce=int)
        model = forms.ModelChoiceField(queryset=organs)

    form = F()
    organ_tree_field_setup(form.fields["plain"], organs, empty_label="请选择机关")
    organ_tree_field_setup(form.fields["model"], organs, empty_label="请选择受理机关")
    for name in ("plain", "model"):
        assert isinstance(form.fields[name].widget, OrganTreeSelect)
        html = str(form[name])
        assert 'data-organ-tree="1"' in html and f'data-path="{child.path}"' in html
        assert html.index("保定市人民政府") < html.index("保定市财政局")
        depth = child.path.count("/") - 2
        assert "\u3000" * depth + "保定市财政局" in html
    assert "请选择受理机关" in str(form["model"]) and "请选择机关" in str(form["plain"])
    bound = F({"plain": str(child.pk), "model": str(child.pk)})
    organ_tree_field_setup(bound.fields["plain"], organs, empty_label="请选择机关")
    organ_tree_field_setup(bound.fields["model"], organs, empty_label="请选择受理机关")
    assert bound.is_valid() and bound.cleaned_data["model"] == child
