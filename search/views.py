"""The search page, and title suggestions for the search box."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .backends.base import SearchFilters
from .forms import SearchForm
from .selectors import lesson_search, lesson_title_suggestions
from .services import search_query_record

RESULTS_PER_PAGE = 10


def _query_string(base: dict, **changes) -> str:
    params = {**base, **changes}
    return urlencode({key: value for key, value in params.items() if value})


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # Every field is optional; one that does not validate is ignored, so a
    # malformed parameter never turns into an error page.
    form.is_valid()
    data = form.cleaned_data
    filters = SearchFilters(
        series_id=data.get("series") or None, job_role=data.get("role") or ""
    )
    requested_page = data.get("page") or 1

    parsed, results = lesson_search(
        query=data.get("q") or "",
        filters=filters,
        offset=(requested_page - 1) * RESULTS_PER_PAGE,
        limit=RESULTS_PER_PAGE,
        user=request.user,
        session=request.session,
    )
    page_obj = Paginator(range(results.total), RESULTS_PER_PAGE).get_page(
        requested_page
    )
    if page_obj.number != requested_page:
        # Past the last page: show the last one instead.
        _, results = lesson_search(
            query=parsed,
            filters=filters,
            offset=page_obj.start_index() - 1,
            limit=RESULTS_PER_PAGE,
            user=request.user,
            session=request.session,
        )
    # One log entry per search: refining by a filter or turning a page is not
    # another search.
    if requested_page == 1 and not filters.series_id and not filters.job_role:
        search_query_record(query=parsed, result_count=results.total, user=request.user)

    base = {
        "q": parsed.text,
        "series": filters.series_id or "",
        "role": filters.job_role,
    }
    suggestions = (
        lesson_title_suggestions(
            text=parsed.text, user=request.user, session=request.session
        )
        if parsed.text
        else []
    )
    return render(
        request,
        "search/search_page.html",
        {
            "form": form,
            "query": parsed.text,
            "results": results,
            "page_obj": page_obj,
            "filters": filters,
            "suggestions": suggestions,
            "base_query": _query_string(base),
            "page_query": _query_string(base, page=""),
            "series_links": [
                (facet, _query_string(base, series=facet.value, page=""))
                for facet in results.series_facets
            ],
            "role_links": [
                (facet, _query_string(base, role=facet.value, page=""))
                for facet in results.job_role_facets
            ],
            "clear_series": _query_string(base, series=""),
            "clear_role": _query_string(base, role=""),
        },
    )


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Lesson titles for what has been typed: JSON for the search box's script,
    a plain list of links otherwise."""
    text = request.GET.get("q", "")
    found = lesson_title_suggestions(
        text=text, user=request.user, session=request.session
    )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"suggestions": [{"title": s.title, "url": s.url} for s in found]}
        )
    return render(
        request, "search/suggestions.html", {"query": text, "suggestions": found}
    )
