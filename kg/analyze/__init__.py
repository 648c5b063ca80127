"""Analysis with networkx: what the graph tells a planner.

Three projections turn the RDF graph into networkx graphs that keep their relation types
(:mod:`kg.analyze.projections`); measures take those graphs and return plain data
(:mod:`kg.analyze.measures`); :func:`analyze` runs them all into one JSON-ready dict, and
:func:`write_report` writes it as Markdown with figures, JSON and CSV
(:mod:`kg.analyze.report`); :func:`export` writes graphs for Gephi and RDF tools
(:mod:`kg.analyze.export`).

>>> from kg import KnowledgeGraph
>>> from kg.analyze import place_network, cut_off
>>> G = place_network(KnowledgeGraph())       # the gazetteer's well-known links
>>> [G.nodes[n]["label"] for n in cut_off(G, "徐州", modes="HighSpeedRail")]
['淮北市', '宿州市']
"""
from .export import export, export_bytes, graphml_safe
from .measures import (EXACT_LIMIT, MODE_GROUPS, SAMPLES, AnalysisError, PlaceNotFound,
                       articulation_points, bridges, centrality, communities, components,
                       critical_links, cut_off, hops_from, industry_similarity, modes_of,
                       province_matrix, resolve_place, sampling, shortest_path, simple_graph,
                       subnetwork)
from .projections import (MODES, STATUSES, bound_places, city_cooperation,
                          cooperation_network, industry_graph, industry_projection,
                          place_network, places_table)
from .report import analyze, load_graph, write_report

__all__ = [
    "place_network", "industry_graph", "industry_projection", "cooperation_network",
    "city_cooperation", "places_table", "MODES", "STATUSES",
    "subnetwork", "simple_graph", "centrality", "components", "cut_off", "bridges",
    "articulation_points", "critical_links", "shortest_path", "hops_from", "communities",
    "province_matrix", "industry_similarity", "resolve_place", "sampling", "modes_of",
    "MODE_GROUPS", "EXACT_LIMIT", "SAMPLES", "AnalysisError", "PlaceNotFound", "bound_places",
    "analyze", "write_report", "load_graph", "export", "export_bytes", "graphml_safe",
]
