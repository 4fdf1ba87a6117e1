"""Diagrams of the models ``tdlint shapes`` finds: Mermaid, Graphviz DOT and Markdown.

``build`` turns the model graph into ``ModelDiagram``s (``graph``); each format is a small
renderer of those, and ``render`` writes them to a file or through Graphviz's ``dot``.
"""
