import FacetCore
