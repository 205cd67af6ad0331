"""A default, platform-wide list of synonyms for common government terms (staff may change it)."""

from django.db import migrations

# (terms, one_way): a one-way group widens its first, broader term to the others only.
DEFAULT_GROUPS = (
    (("低保", "最低生活保障", "最低生活保障金", "低保金"), False),
    (("社会救助", "低保", "最低生活保障", "特困人员供养", "临时救助", "医疗救助"), True),
    (("特困", "特困人员", "五保"), False),
    (("社保", "社会保险"), False),
    (("医保", "医疗保险"), False),
    (("养老保险", "养老金"), False),
    (("失业保险", "失业金", "失业保险金"), False),
    (("公积金", "住房公积金"), False),
    (("残疾证", "残疾人证"), False),
    (("身份证", "居民身份证"), False),
    (("户口", "户籍"), False),
    (("营业执照", "工商执照"), False),
    (("廉租房", "公租房", "公共租赁住房", "保障性住房"), False),
    (("退役军人", "复员军人", "退伍军人"), False),
    (("依申请公开", "申请公开"), False),
)


def add_defaults(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, one_way in DEFAULT_GROUPS:
        SynonymGroup.objects.get_or_create(
            agency=None, terms="、".join(terms), defaults={"one_way": one_way, "note": "平台默认同义词"}
        )


def remove_defaults(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(agency=None, terms__in=["、".join(terms) for terms, _ in DEFAULT_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0007_synonym_groups")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
