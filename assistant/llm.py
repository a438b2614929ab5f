"""Optional LLM answers: ``prompt | model``, verified, with the grounded answer as the fallback.

Configured by ``LLM_BASE_URL`` + ``LLM_MODEL`` (+ ``LLM_API_KEY``): an
OpenAI-compatible endpoint serves Ollama, vLLM, llama.cpp server and hosted
APIs. The chain is::

    (prompt | model | text → verified Answer).with_fallbacks([grounded answer])

so a model error, a timeout, garbage or a reply with nothing verifiable left all
end in the grounded composer's answer. Item text is untrusted: each item sits
between lines carrying a random per-request boundary, and anything in the text
that looks like a boundary or a prompt marker is neutralised before it is sent.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from assistant import prompts
from assistant.citations import verify
from assistant.types import Answer, Citation, Hit, Query
from core.config import Settings
from core.items import AgendaItem

logger = logging.getLogger(__name__)

CONTEXT_ITEMS = 6
PROMPT = ChatPromptTemplate.from_messages([("system", "{system}"), ("human", "{user}")])

# Prompt markers a text could forge: our item boundaries, old-style delimiters, chat-template
# tokens, and "ROLE:" / "KYSYMYS:" headers that would read as a new turn or a new question.
_FAKE_BOUNDARY = re.compile(r"\b(?:ALKU|LOPPU)-\w{0,64}", re.IGNORECASE)
_ANGLES = re.compile(r"[<>«»‹›]{2,}|<\||\|>")
_ROLE_MARKER = re.compile(
    r"\b(KYSYMYS|QUESTION|KONTEKSTI|CONTEXT|PÖYTÄKIRJAKOHDAT|SYSTEM|ASSISTANT|USER|HUMAN|JÄRJESTELMÄ|"
    r"AVUSTAJA|KÄYTTÄJÄ|VASTAUS|ANSWER|OHJEET|OHJE|INSTRUCTIONS?|SÄÄNNÖT)[ \t]{0,3}:",
    re.IGNORECASE,
)


class Unverifiable(ValueError):
    """The model's reply had nothing the cited items support."""


def make_chat_model(settings: Settings) -> Any | None:
    """A chat model from settings, or None when no LLM is configured (grounded answers only)."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "not-needed", timeout=settings.llm_timeout,
                      max_retries=0, temperature=0)


def neutralise(text: str, boundary: str) -> str:
    """``text`` with anything that could pass for the boundary or a prompt marker defused."""
    text = text.replace(boundary, "[tunniste poistettu]")
    text = _FAKE_BOUNDARY.sub("[tunniste poistettu]", text)
    text = _ANGLES.sub(" ", text)
    return _ROLE_MARKER.sub(lambda m: f'"{m.group(1)}" –', text)


def _item_content(it: AgendaItem) -> str:
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
    return "\n".join(parts)


def prompt_inputs(q: Query, hits: list[Hit], *, boundary: str | None = None) -> tuple[dict[str, str],
                                                                                       dict[int, AgendaItem]]:
    """The prompt's ``system`` and ``user`` texts with the items as bounded data, and the key → item map."""
    boundary = boundary or secrets.token_hex(16)
    keyed: dict[int, AgendaItem] = {}
    blocks = []
    for n, h in enumerate(hits[:CONTEXT_ITEMS], 1):
        it = h.item
        keyed[n] = it
        kind = "ESITYSLISTA (ehdotus, ei päätöstä)" if it.kind == "agenda" else "PÖYTÄKIRJA"
        blocks.append(prompts.render(
            "llm_item_fi", key=n, citation=neutralise(it.citation(), boundary), kind=kind,
            title=neutralise(it.title, boundary), content=neutralise(_item_content(it), boundary),
            boundary=boundary))
    system = prompts.render("llm_system_fi", refusal=prompts.REFUSAL)
    user = prompts.render("llm_user_fi", context="\n\n".join(blocks), question=neutralise(q.text, boundary))
    return {"system": system, "user": user}, keyed


def build_messages(q: Query, hits: list[Hit]) -> tuple[list[Any], dict[int, AgendaItem]]:
    """The chat messages the model receives, and the key → item map."""
    inputs, keyed = prompt_inputs(q, hits)
    return PROMPT.format_messages(**inputs), keyed


def dropped_notice(count: int) -> str:
    """The sentence telling the user that ``count`` model sentences were removed ('' for none)."""
    if count <= 0:
        return ""
    return prompts.render("llm_dropped_one_fi") if count == 1 else prompts.render("llm_dropped_fi", count=count)


def _to_answer(state: dict[str, Any]) -> Answer:
    """The verified Answer for the model's ``reply``; raises Unverifiable so the fallback answers."""
    text, q, retrieved = state["reply"].strip(), state["query"], state["retrieved"]
    if text.startswith(prompts.REFUSAL[:30]):
        return Answer(prompts.REFUSAL, True, [], retrieved, q, via_llm=True)
    checked = verify(text, state["keyed"])
    if not checked.text:
        raise Unverifiable(f"nothing verifiable in {len(checked.dropped)} sentence(s)")
    notice = dropped_notice(len(checked.dropped))
    return Answer("\n\n".join(p for p in (checked.text, notice) if p), False,
                  [Citation.from_item(it) for it in checked.cited], retrieved, q, via_llm=True,
                  dropped_sentences=len(checked.dropped))


def _grounded(state: dict[str, Any]) -> Answer | None:
    err = state.get("error")
    logger.warning("LLM answer not used, grounded answer instead: %s: %s", type(err).__name__, err)
    return state["grounded"]


def answer_chain(model: Runnable) -> Runnable:
    """``prompt | model`` → verified Answer, falling back to ``state["grounded"]`` on any failure.

    Input: ``system``, ``user`` (from ``prompt_inputs``), ``keyed``, ``query``, ``retrieved``, ``grounded``.
    """
    ask = RunnablePassthrough.assign(reply=PROMPT | model | StrOutputParser())
    return (ask | RunnableLambda(_to_answer)).with_fallbacks([RunnableLambda(_grounded)], exception_key="error")


def llm_answer(model: Runnable, q: Query, hits: list[Hit], retrieved: list[Citation],
               grounded: Answer | None = None) -> Answer | None:
    """Ask ``model`` about ``hits``; the verified Answer, or ``grounded`` when the model fails.

    Args:
        model: a LangChain chat model (``make_chat_model``).
        q: the parsed question; hits: retrieved items (the first ``CONTEXT_ITEMS`` go to the model).
        retrieved: citations listed as "retrieved" in the Answer.
        grounded: the grounded composer's answer, returned on any model failure (None: the
            caller falls back itself).
    """
    if not hits:
        return grounded
    inputs, keyed = prompt_inputs(q, hits)
    return answer_chain(model).invoke({**inputs, "keyed": keyed, "query": q, "retrieved": retrieved,
                                       "grounded": grounded})
