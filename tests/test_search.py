"""Search finds the post by words from its body, as the browser's lunr index would."""

import json

import lunr
import pytest

from conftest import SEED_URL


@pytest.fixture(scope="module")
def search(site):
    data = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = data["docs"]
    assert docs, "the search index is empty"
    fields = [{"field_name": name, "boost": spec.get("boost", 1)} for name, spec in data["config"]["fields"].items()]
    for doc in docs:
        doc.setdefault("tags", [])
        doc["tags"] = " ".join(doc["tags"])
    index = lunr.lunr(ref="location", fields=fields, documents=docs)
    return lambda query: [r["ref"] for r in index.search(query)]


@pytest.mark.parametrize("query", ["exit strategy", "KPIs", "outsourcing partner", "dispute resolution"])
def test_search_finds_the_seed_post_by_words_from_its_body(search, query):
    hits = search(query)
    assert any(ref.startswith(SEED_URL) for ref in hits[:10]), hits[:10]


def test_exit_strategy_leads_to_its_section(search):
    assert SEED_URL + "#exit-strategy" in search("exit strategy")[:3]
