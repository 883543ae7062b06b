; One Inception block: a Conv branch per BRANCHES item, an optional 3x3 max-pool branch (POOL),
; concatenated (N2D2: an Input list) into a 1x1 Conv of OUT outputs.
{% block BRANCHES %}
[{{SECTION_NAME}}_b{{#}}]
Input={{INPUT}}
Type=Conv
KernelSize={{.KERNEL}}
{% if .PAD exists %}
Padding={{.PAD}}
{% endif %}
NbOutputs={{.OUT}}
ActivationFunction=Rectifier
ConfigSection=conv.config
{% endblock %}
{% if POOL exists %}
[{{SECTION_NAME}}_pool]
Input={{INPUT}}
Type=Pool
PoolSize=3
Padding=1
Pooling=Max
{% endif %}
[{{SECTION_NAME}}_concat]
Input={% for i in range(BRANCHES) %}{% if i != 0 %},{% endif %}{{SECTION_NAME}}_b{{i}}{% endfor %}{% if POOL exists %},{{SECTION_NAME}}_pool{% endif %}
Type=Conv
KernelSize=1
NbOutputs={{OUT}}
ActivationFunction=Rectifier
ConfigSection=conv.config
