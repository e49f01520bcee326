"""Testing: public hypothesis strategies for plans (with planted defects) and a renderer
that writes a plan model as plan text in the layouts PDF extraction gives."""
