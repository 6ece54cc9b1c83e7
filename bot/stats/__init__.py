"""Anonymous figures for coordinators: periods, breakdowns, disclosure control, outputs."""
