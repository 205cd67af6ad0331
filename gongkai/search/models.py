from django.db import models


class SearchEntry(models.Model):
    """检索条目: one public item as the search index sees it.

    Only items published to society are here; the indexing service adds and
    removes them in the same transaction as the change that made them public
    or not. `tokens` is the bigram text (gongkai.search.text.index_text); the
    full-text index over it is an FTS5 table on SQLite and a GIN index on
    PostgreSQL (see the migration).
    """

    item = models.OneToOneField(
        "catalogue.Item", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Newest-first position (text.recency_key): the FTS5 rowid on SQLite, the sort key everywhere.
    recency = models.BigIntegerField(unique=True)
    agency_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    department_id = models.BigIntegerField(null=True)
    published_at = models.DateTimeField()
    year = models.PositiveIntegerField()
    validity = models.CharField(max_length=20)
    genre = models.CharField(max_length=20)
    text = models.TextField()  # title, summary and body as plain text, for confirmation and snippets
    tokens = models.TextField()
    keywords = models.CharField(max_length=300, blank=True)  # space-separated, most frequent first
    facets = models.TextField(blank=True)  # the filter values as index tokens (text.facet_text)
    lossy = models.BooleanField(
        default=False
    )  # too long for PostgreSQL phrase positions (text.positions_lossy)
    # The item's text was cut to what one entry can hold (index_limit.cap_text); the rest is not searchable.
    truncated = models.BooleanField(default=False)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = "检索条目"
        indexes = [
            models.Index(fields=["agency_id", "recency"], name="search_agency_recency"),
            # Covering the facet columns: counting the newest matches reads this index, not the rows.
            models.Index(
                fields=["recency", "agency_id", "category_id", "department_id", "year", "validity", "genre"],
                name="search_facets",
            ),
        ]

    def __str__(self) -> str:
        return f"search entry {self.item_id}"


class SynonymGroup(models.Model):
    """同义词组: terms a search for one of them also finds (低保、最低生活保障、最低生活保障金).

    Platform-wide when `agency` is empty (kept by the system administrator), else one agency's own
    (kept by its 政务公开办公室). A one-way group widens only its first, broader term to the others
    (社会救助 → 低保、临时救助…). Written only by gongkai.search.services; applied at query time
    (gongkai.search.expand.with_synonyms), so a change takes effect at the next search.
    """

    agency = models.ForeignKey(
        "organisation.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="所属机关",
    )
    terms = models.TextField("同义词", help_text="用顿号“、”分开，如：低保、最低生活保障")
    one_way = models.BooleanField("单向扩展", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词组"
        ordering = ["agency_id", "pk"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [term for term in self.terms.split("、") if term]
