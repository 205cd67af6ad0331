"""One description of the information sought: 文件名称、文号 joins 所需政府信息的内容描述.

The two fields asked the same; what applicants typed in the second is kept at the end of the first.
"""

from django.db import migrations

HINT_WORDING = "文件名称、文号或其他特征"


def merge_hint(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    for application in Application.objects.exclude(document_hint="").only(
        "pk", "description", "document_hint"
    ):
        hint = application.document_hint.strip()
        if not hint or hint in application.description:
            continue
        application.description = f"{application.description.rstrip()}\n（{HINT_WORDING}：{hint}）"
        application.save(update_fields=["description"])


def split_nothing(apps, schema_editor):
    # Backwards the column comes back empty; the text stays in the description.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_intake_claims_and_void"),
    ]

    operations = [
        migrations.RunPython(merge_hint, split_nothing),
        migrations.RemoveField(
            model_name="application",
            name="document_hint",
        ),
    ]
