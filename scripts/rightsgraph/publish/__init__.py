"""Publishing the graph as linked data: a static site with a page and RDF for every resource.

    from rightsgraph.publish import publish
    publish(find_project(), Path("dist/site"))
"""

from rightsgraph.publish.site import PublishResult, publish, render_site

__all__ = ["PublishResult", "publish", "render_site"]
