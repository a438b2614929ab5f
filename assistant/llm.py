"""Optional LLM answers: any LangChain chat model, given only the retrieved items, verified after.

Configured by ``LLM_BASE_URL`` + ``LLM_MODEL`` (+ ``LLM_API_KEY``): an
OpenAI-compatible endpoint serves Ollama, vLLM, llama.cpp server and hosted
APIs. On any error, timeout or an answer with nothing verifiable left, the
caller falls back to the grounded composer.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant import prompts
from assistant.citations import verify
from assistant.types import Answer, Citation, Hit, Query
from core.config import Settings

logger = logging.getLogger(__name__)

CONTEXT_ITEMS = 6


def make_chat_model(settings: Settings) -> Any | None:
    """A chat model from settings, or None when no LLM is configured."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "not-needed", timeout=settings.llm_timeout,
                      max_retries=0, temperature=0)


def build_messages(q: Query, hits: list[Hit]) -> tuple[list[Any], dict[int, Any]]:
    """System and user messages with the items as delimited data, and the key → item map."""
    from langchain_core.messages import HumanMessage, SystemMessage

    keyed = {}
    blocks = []
    for n, h in enumerate(hits[:CONTEXT_ITEMS], 1):
        it = h.item
        keyed[n] = it
        kind = "ESITYSLISTA (ehdotus, ei päätöstä)" if it.kind == "agenda" else "PÖYTÄKIRJA"
        parts = []
        if it.body_text:
            parts.append("Selostus: " + it.body_text[:1500])
        for hist in it.history:
            parts.append(f"Aiempi käsittely {hist.label()}: {hist.proposal[:400]} {hist.decision[:400]}")
        if it.proposal:
            parts.append("Ehdotus: " + it.proposal[:1200])
        if it.decision:
            parts.append(f"Päätös ({it.body}): " + it.decision[:1200])
        if it.votes:
            parts.append("Äänestys: " + it.votes[:600])
        blocks.append(prompts.render("llm_item_fi", key=n, citation=it.citation(), kind=kind, title=it.title,
                                     content="\n".join(parts)))
    system = prompts.render("llm_system_fi", refusal=prompts.REFUSAL)
    user = prompts.render("llm_user_fi", context="\n\n".join(blocks), question=q.text)
    return [SystemMessage(system), HumanMessage(user)], keyed


def llm_answer(model: Any, q: Query, hits: list[Hit], retrieved: list[Citation]) -> Answer | None:
    """Ask ``model``; return a verified Answer, or None to fall back to the grounded composer."""
    if not hits:
        return None
    messages, keyed = build_messages(q, hits)
    try:
        reply = model.invoke(messages)
    except Exception as e:  # noqa: BLE001 - any model failure means: use the grounded answer
        logger.warning("LLM failed, using grounded answer: %s: %s", type(e).__name__, e)
        return None
    text = str(getattr(reply, "content", reply)).strip()
    if not text:
        return None
    if text.startswith(prompts.REFUSAL[:30]):
        return Answer(prompts.REFUSAL, True, [], retrieved, q, via_llm=True)
    checked = verify(text, keyed)
    if not checked.text:
        logger.warning("LLM answer had nothing verifiable; using grounded answer")
        return None
    notice = ""
    if checked.dropped:
        notice = f"{len(checked.dropped)} virke(ttä) poistettiin, koska niiden lähdettä ei voitu varmistaa."
    return Answer(checked.text, False, [Citation.from_item(it) for it in checked.cited], retrieved, q,
                  notice=notice, via_llm=True)
