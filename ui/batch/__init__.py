"""The batch page and its tabs: the list and editor (page.py), the roster, the lodging per night, the rooms
and the planner calendar; they share the batch being worked on and live together."""
