(function(){var t=document.getElementById('applicants');if(!t)return;var b=t.tBodies[0];
var g=document.getElementById('filter-grade'),p=document.getElementById('filter-product'),
c=document.getElementById('filter-cluster');
function f(){for(var r of b.rows){var ok=(!g.value||r.dataset.grade===g.value)&&
(!p.value||r.dataset.product===p.value)&&(!c.value||r.dataset.cluster===c.value);r.hidden=!ok;}}
g.onchange=f;p.onchange=f;c.onchange=f;
t.querySelectorAll('th button').forEach(function(x){x.onclick=function(){var k=x.dataset.sort,
n=x.hasAttribute('data-numeric'),th=x.parentElement,up=th.getAttribute('aria-sort')!=='ascending';
t.querySelectorAll('th').forEach(function(h){h.setAttribute('aria-sort','none')});
th.setAttribute('aria-sort',up?'ascending':'descending');var rs=Array.from(b.rows);
rs.sort(function(a,c){var u=a.dataset[k],v=c.dataset[k];var d=n?(parseFloat(u)-parseFloat(v)):
u.localeCompare(v);return up?d:-d});rs.forEach(function(r){b.appendChild(r)})}})})();
