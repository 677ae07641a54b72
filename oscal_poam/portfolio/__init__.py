"""Every system at a glance: the systems found under some folders, each judged by the engine, sorted by urgency.

`discover` finds the documents and links them into systems (an SSP with the POA&Ms and assessment results that
import it); `judge` asks the engine (through the `report` module) where each stands; `render` writes the page.
"""
