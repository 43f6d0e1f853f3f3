"""The Qt desktop of Recuperation Desk (imports the core; the core never imports this)."""
