"""The audit actions of search (see gongkai.audit.registry)."""

from gongkai.audit import registry

registry.register("synonym_group_save", "保存检索同义词组")
registry.register("synonym_group_delete", "删除检索同义词组")
