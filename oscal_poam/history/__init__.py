"""How each POA&M moved over time: the versions of a repository's documents, read from its git history (or from a
folder of dated copies), each version judged by the engine, and the trends of a system and of a portfolio.
"""
