"""Participation views: ``public_*`` modules serve the portal, ``staff_*`` modules the workspace."""
